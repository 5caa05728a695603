from . import credit_application_report
from . import customer_statement
