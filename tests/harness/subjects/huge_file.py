# Leaves a sparse file of 16 GiB in its working folder (no disk blocks: a hash of every byte
# still reads 16 GiB of zeros), then exits.
with open("huge", "wb") as f:
    f.truncate(16 << 30)
print("made")
