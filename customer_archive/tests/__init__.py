from . import test_install
from . import test_gate
from . import test_approval
from . import test_change
