from portcheck._cli import main

raise SystemExit(main())
