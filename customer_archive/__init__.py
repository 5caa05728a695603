from . import models
from . import wizards
from . import report
from .hooks import post_init_hook
from .rpc_lang import post_load
