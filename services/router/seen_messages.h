#pragma once
// The AgentMessage ids the router has acted on, the oldest forgotten past a capacity.
// spark-gateway may take one message in twice: its catch-up after a restart re-reads what it had
// already published. So an id must be recognised across the router's own restarts too: every
// change (RecentIds::admit says what was added and let go) is reported for the shell to keep in
// the journal with the step that made it (one record: the SMS and the memory of having sent it),
// and a new life starts from what was kept (RecentIds::restore).
#include "switchboard/recent_ids.h"

namespace sb::router {

using SeenMessages = RecentIds;

}  // namespace sb::router
