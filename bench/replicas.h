#pragma once
// pipeline_bench --replicas: the pipeline with 1 and with 2 replicas of the router and of the
// carrier gateway (README, "Partitions and replicas"): inbound and reply throughput and p99 at
// one offered rate, and the handover when a replica is killed under load.
#include "bench_util.h"

namespace sb::bench {

json replicas_scenario(bool quick, int connections);

}  // namespace sb::bench
