from . import customer_credit_application_reject
from . import customer_credit_hold_wizard
from . import customer_credit_override_request
from . import customer_credit_overview_export
from . import customer_credit_statement_wizard
