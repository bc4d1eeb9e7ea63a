#include "tropo_sandbox.h"

namespace sb::sandbox::tropo {

TropoSandbox::TropoSandbox(const Environment&, Metrics&) {}
void TropoSandbox::register_routes(httplib::Server&) {}
void TropoSandbox::start(const std::string&) {}
void TropoSandbox::stop() {}

}  // namespace sb::sandbox::tropo
