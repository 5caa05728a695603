from . import archive_xlsx
from . import archive_card_report
