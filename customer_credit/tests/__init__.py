from . import test_install
from . import test_stop
from . import test_hold
from . import test_profile
from . import test_application
from . import test_scorecard
