from . import customer_credit_stop
