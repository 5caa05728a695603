from . import customer_credit_profile
