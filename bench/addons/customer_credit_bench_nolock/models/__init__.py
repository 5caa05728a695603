from . import customer_credit_check_log
