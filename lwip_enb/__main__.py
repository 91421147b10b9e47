import sys

from lwip_enb.tools.cli import main

sys.exit(main())
