"""Scale-out: the same measures, indicator tables, simulations, sweeps and LNOB
batches on partitioned Parquet and on a Dask cluster (``engine="dask"``).

See ``docs/scale-out.md``. Dask is optional (``pip install "sp2lnob[scale]"``).
"""

from sp2lnob.scale.cluster import ENGINES, check_engine, dask_client
from sp2lnob.scale.indicators import ScaleIndicators, indicator_table
from sp2lnob.scale.measures import MEASURES, ScaleMeasures, measures
from sp2lnob.scale.simulate import PartitionedSimulation, simulate_partitioned
from sp2lnob.scale.source import ParquetSource, read_partition, scan_parquet, write_partitions

__all__ = ["ENGINES", "MEASURES", "ParquetSource", "PartitionedSimulation", "ScaleIndicators", "ScaleMeasures",
           "check_engine", "dask_client", "indicator_table", "measures", "read_partition", "scan_parquet",
           "simulate_partitioned", "write_partitions"]
