import sys

from ioa_assess.cli import main

sys.exit(main())
