from . import customer_archive_change_wizard
from . import customer_archive_reject_wizard
from . import customer_archive_handover_wizard
from . import customer_archive_export_wizard
from . import customer_archive_state_wizard
from . import customer_archive_integrity_check
