from . import test_install
from . import test_profile
from . import test_application
from . import test_scorecard
