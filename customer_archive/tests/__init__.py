from . import test_install
from . import test_gate
from . import test_approval
from . import test_change
from . import test_export
from . import test_import
