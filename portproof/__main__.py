from portproof._cli import main

raise SystemExit(main())
