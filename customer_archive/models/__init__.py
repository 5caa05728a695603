from . import customer_archive
from . import res_partner
