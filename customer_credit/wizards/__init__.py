from . import customer_credit_application_reject
from . import customer_credit_hold_wizard
