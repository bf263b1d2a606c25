"""An embedded Harbor: the replication and registry API of Harbor v2.15, simulated.

Needs the ``simulator`` extra: ``pip install harbor-replication[simulator]``.
"""

from ._app import create_app
from ._config import HARBOR_EXECUTIONS_RETAINED_PER_POLICY, SimulatorConfig
from ._faults import TRANSIENT_FAULTS, Fault, FaultConfig, FaultInjector
from ._filters import Artifact
from ._server import HarborSimulator, add_arguments, config_from_args, serve
from ._state import SimulatorState

__all__ = [
    "HARBOR_EXECUTIONS_RETAINED_PER_POLICY",
    "TRANSIENT_FAULTS",
    "Artifact",
    "Fault",
    "FaultConfig",
    "FaultInjector",
    "HarborSimulator",
    "SimulatorConfig",
    "SimulatorState",
    "add_arguments",
    "config_from_args",
    "create_app",
    "serve",
]
