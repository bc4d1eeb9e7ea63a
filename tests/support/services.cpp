#include "services.h"

namespace sb::testing {

const std::map<std::string, std::string>& port_variables() {
    static const std::map<std::string, std::string> variables = {
        {"bus", "BUS_PORT"},
        {"sandbox", "SANDBOX_PORT"},
        {"spark-gateway", "SPARK_GATEWAY_PORT"},
        {"tropo-gateway", "TROPO_GATEWAY_PORT"},
        {"twilio-gateway", "TWILIO_GATEWAY_PORT"},
        {"router", "ROUTER_PORT"},
        {"ingress-web", "INGRESS_WEB_PORT"},
    };
    return variables;
}

}  // namespace sb::testing
