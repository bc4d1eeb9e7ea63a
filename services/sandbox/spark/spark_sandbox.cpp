#include "spark_sandbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "paging.h"
#include "switchboard/http_edge.h"
#include "webex_ids.h"

namespace sb::sandbox::spark {
namespace {

constexpr const char* kDefaultToken = "sandbox-proxy-token";
constexpr const char* kDefaultTeam = "Y2lzY29zcGFyazovL3VzL1RFQU0vc2FuZGJveC10ZWFt";
constexpr const char* kDefaultProxyEmail = "switchboard@sandbox.example";

Seed seed_from(const Environment& env) {
    Seed seed;
    seed.proxy_token = env.get_or("SPARK_TOKEN", kDefaultToken);
    seed.proxy_email = env.get_or("SPARK_CUSTOMER_PROXY_EMAIL", kDefaultProxyEmail);
    seed.team_id = env.get_or("SPARK_AGENT_TEAM_ID", kDefaultTeam);
    return seed;
}

Query query_of(const httplib::Request& request) {
    Query query;
    for (const auto& [name, value] : request.params) query[name] = value;
    return query;
}

void send_json(httplib::Response& response, int status, const json& body,
               const std::string& tracking_id) {
    response.status = status;
    response.set_header("Trackingid", tracking_id);
    if (status == 204) return;
    response.set_content(body.dump(), "application/json;charset=UTF-8");
}

void send_reply(httplib::Response& response, Reply reply, const std::string& tracking_id) {
    if (reply.status >= 400 && reply.body.is_object()) reply.body["trackingId"] = tracking_id;
    send_json(response, reply.status, reply.body, tracking_id);
}

// Admin answers: plain JSON; errors as {"error": ...} like every other local endpoint.
void send_admin(httplib::Response& response, const Reply& reply) {
    if (reply.status >= 400) {
        reply_error(response, reply.status, string_field(reply.body, "message"));
    } else {
        reply_json(response, reply.status, reply.body.dump());
    }
}

std::optional<json> parse_object(const std::string& body) {
    if (body.empty()) return json::object();
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
    return parsed;
}

}  // namespace

SparkSandbox::SparkSandbox(const Environment& env, Metrics& metrics)
    : metrics_(metrics),
      state_(seed_from(env)),
      dispatcher_(metrics, [this](const std::string& id, bool delivered) {
          state_.delivery_result(id, delivered);
      }) {
    state_.failure_limit = env.int_or("SANDBOX_SPARK_WEBHOOK_FAILURE_LIMIT", 5, 1, 100000);
    public_url_explicit_ = env.get("SANDBOX_PUBLIC_URL").has_value();
    max_file_bytes_ = static_cast<size_t>(
        env.int_or("SANDBOX_SPARK_MAX_FILE_BYTES", 25 * 1024 * 1024, 1, 100 * 1024 * 1024));
    state_.set_delivery_sink(
        [this](Delivery delivery) { dispatcher_.enqueue(std::move(delivery)); });
}

SparkSandbox::~SparkSandbox() {
    stop();
}

void SparkSandbox::start(const std::string& public_base_url) {
    std::string base = public_base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    {
        std::lock_guard lock(mutex_);
        public_base_url_ = base;
    }
    state_.set_public_base(base);
    dispatcher_.start();
    spdlog::info("spark sandbox: Webex API under {}/v1, admin under {}/sandbox/spark",
                 public_base_url, public_base_url);
}

void SparkSandbox::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stopped_.notify_all();
    dispatcher_.stop();
}

std::string SparkSandbox::link_base(const httplib::Request& request) const {
    std::lock_guard lock(mutex_);
    // Webex answers with the host the client used; an explicit public URL wins (proxies).
    if (!public_url_explicit_ && request.has_header("Host")) {
        const std::string scheme = public_base_url_.rfind("https://", 0) == 0 ? "https" : "http";
        return scheme + "://" + request.get_header_value("Host");
    }
    return public_base_url_;
}

std::optional<Fault> SparkSandbox::take_fault(const std::string& method, const std::string& path) {
    std::lock_guard lock(mutex_);
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
        if (path.rfind(it->path_prefix, 0) != 0) continue;
        if (!it->method.empty() && it->method != method) continue;
        Fault fault = *it;
        if (--it->count <= 0) faults_.erase(it);
        ++faults_served_;
        return fault;
    }
    return std::nullopt;
}

void SparkSandbox::hold_answer(const std::string& method, const std::string& path) {
    std::unique_lock lock(mutex_);
    int ms = 0;
    for (const Latency& latency : latencies_) {
        if (path.rfind(latency.path_prefix, 0) != 0) continue;
        if (!latency.method.empty() && latency.method != method) continue;
        ms = std::max(ms, latency.ms);
    }
    if (ms > 0)
        stopped_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void SparkSandbox::count_call(const std::string& method, const std::string& endpoint) {
    metrics_
        .counter("sandbox_api_calls_total", "Provider API calls the sandbox answered",
                 {{"provider", "spark"}, {"method", method}, {"endpoint", endpoint}})
        .add();
    std::lock_guard lock(mutex_);
    ++calls_[method + " " + endpoint];
}

void SparkSandbox::api(httplib::Server& server, const std::string& method,
                       const std::string& pattern, const std::string& endpoint,
                       ApiHandler handler) {
    auto wrapped = [this, method, endpoint, handler = std::move(handler)](
                       const httplib::Request& request, httplib::Response& response) {
        const std::string tracking_id = new_tracking_id();
        count_call(method, endpoint);
        if (const auto fault = take_fault(method, request.path)) {
            if (fault->retry_after >= 0) {
                response.set_header("Retry-After", std::to_string(fault->retry_after));
            }
            const std::string message = fault->status == 429
                                            ? "Too many requests, retry after the given time."
                                            : "Service temporarily unavailable (sandbox fault).";
            send_json(response, fault->status, webex_error(message, tracking_id), tracking_id);
            return;
        }
        const std::string authorization = request.get_header_value("Authorization");
        std::optional<std::string> caller;
        if (authorization.rfind("Bearer ", 0) == 0) {
            caller = state_.person_for_token(authorization.substr(7));
        }
        if (!caller) {
            send_json(response, 401,
                      webex_error("The request requires a valid access token set in the "
                                  "Authorization request header.",
                                  tracking_id),
                      tracking_id);
            return;
        }
        json body = json::object();
        if (method == "POST" || method == "PUT") {
            const auto parsed = parse_object(request.body);
            if (!parsed) {
                send_json(response, 400, webex_error("Invalid JSON in request body.", tracking_id),
                          tracking_id);
                return;
            }
            body = *parsed;
        }
        Reply reply = handler(*caller, request, body);
        hold_answer(method, request.path);  // done already; only the answer is late
        if (!reply.next_query.empty()) {
            response.set_header("Link",
                                next_link(link_base(request), request.path, reply.next_query));
        }
        send_reply(response, std::move(reply), tracking_id);
    };
    if (method == "GET")
        server.Get(pattern, wrapped);
    else if (method == "POST")
        server.Post(pattern, wrapped);
    else if (method == "PUT")
        server.Put(pattern, wrapped);
    else
        server.Delete(pattern, wrapped);
}

void SparkSandbox::register_routes(httplib::Server& server) {
    using Request = httplib::Request;
    const auto id = [](const Request& request) { return request.matches[1].str(); };

    api(server, "GET", "/v1/people/me", "people/me",
        [this](const std::string& caller, const Request&, const json&) {
            return state_.people_me(caller);
        });
    api(server, "GET", R"(/v1/people/([^/]+))", "people/{id}",
        [this, id](const std::string& caller, const Request& request, const json&) {
            return state_.get_person(caller, id(request));
        });
    api(server, "GET", "/v1/people", "people",
        [this](const std::string& caller, const Request& request, const json&) {
            return state_.list_people(caller, query_of(request));
        });

    api(server, "GET", "/v1/rooms", "rooms",
        [this](const std::string& caller, const Request& request, const json&) {
            return state_.list_rooms(caller, query_of(request));
        });
    api(server, "POST", "/v1/rooms", "rooms",
        [this](const std::string& caller, const Request&, const json& body) {
            return state_.create_room(caller, body);
        });
    api(server, "GET", R"(/v1/rooms/([^/]+))", "rooms/{id}",
        [this, id](const std::string& caller, const Request& request, const json&) {
            return state_.get_room(caller, id(request));
        });
    api(server, "PUT", R"(/v1/rooms/([^/]+))", "rooms/{id}",
        [this, id](const std::string& caller, const Request& request, const json& body) {
            return state_.update_room(caller, id(request), body);
        });

    api(server, "GET", "/v1/memberships", "memberships",
        [this](const std::string& caller, const Request& request, const json&) {
            return state_.list_memberships(caller, query_of(request));
        });
    api(server, "POST", "/v1/memberships", "memberships",
        [this](const std::string& caller, const Request&, const json& body) {
            return state_.create_membership(caller, body);
        });
    api(server, "DELETE", R"(/v1/memberships/([^/]+))", "memberships/{id}",
        [this, id](const std::string& caller, const Request& request, const json&) {
            return state_.delete_membership(caller, id(request));
        });
    api(server, "GET", "/v1/team/memberships", "team/memberships",
        [this](const std::string& caller, const Request& request, const json&) {
            return state_.list_team_memberships(caller, query_of(request));
        });
    api(server, "POST", "/v1/team/memberships", "team/memberships",
        [this](const std::string& caller, const Request&, const json& body) {
            return state_.create_team_membership(caller, body);
        });

    api(server, "POST", "/v1/messages", "messages",
        [this](const std::string& caller, const Request&, const json& body) {
            return create_message(caller, body);
        });
    api(server, "GET", "/v1/messages", "messages",
        [this](const std::string& caller, const Request& request, const json&) {
            return state_.list_messages(caller, query_of(request));
        });
    api(server, "GET", R"(/v1/messages/([^/]+))", "messages/{id}",
        [this, id](const std::string& caller, const Request& request, const json&) {
            return state_.get_message(caller, id(request));
        });
    api(server, "DELETE", R"(/v1/messages/([^/]+))", "messages/{id}",
        [this, id](const std::string& caller, const Request& request, const json&) {
            return state_.delete_message(caller, id(request));
        });

    api(server, "GET", "/v1/webhooks", "webhooks",
        [this](const std::string& caller, const Request& request, const json&) {
            return state_.list_webhooks(caller, query_of(request));
        });
    api(server, "POST", "/v1/webhooks", "webhooks",
        [this](const std::string& caller, const Request&, const json& body) {
            return state_.create_webhook(caller, body);
        });
    api(server, "GET", R"(/v1/webhooks/([^/]+))", "webhooks/{id}",
        [this, id](const std::string& caller, const Request& request, const json&) {
            return state_.get_webhook(caller, id(request));
        });
    api(server, "PUT", R"(/v1/webhooks/([^/]+))", "webhooks/{id}",
        [this, id](const std::string& caller, const Request& request, const json& body) {
            return state_.update_webhook(caller, id(request), body);
        });
    api(server, "DELETE", R"(/v1/webhooks/([^/]+))", "webhooks/{id}",
        [this, id](const std::string& caller, const Request& request, const json&) {
            return state_.delete_webhook(caller, id(request));
        });

    register_admin_routes(server);
    register_content_routes(server);
}

void SparkSandbox::register_admin_routes(httplib::Server& server) {
    using httplib::Request;
    using httplib::Response;
    // Every admin body is a JSON object; anything else is a 400 with a reason.
    const auto with_body = [](auto handler) {
        return [handler](const Request& request, Response& response) {
            const auto body = parse_object(request.body);
            if (!body) return reply_error(response, 400, "body must be a JSON object");
            handler(request, response, *body);
        };
    };

    server.Get("/sandbox/spark/state", [this](const Request&, Response& response) {
        reply_json(response, 200, state_.admin_state().dump());
    });
    server.Get("/sandbox/spark/people", [this](const Request&, Response& response) {
        reply_json(response, 200, state_.admin_people().dump());
    });
    server.Post(R"(/sandbox/spark/people/([^/]+)/status)",
                with_body([this](const Request& request, Response& response, const json& body) {
                    send_admin(response, state_.admin_set_status(request.matches[1], body));
                }));
    server.Get("/sandbox/spark/rooms", [this](const Request&, Response& response) {
        reply_json(response, 200, state_.admin_rooms().dump());
    });
    server.Post("/sandbox/spark/rooms",
                with_body([this](const Request&, Response& response, const json& body) {
                    send_admin(response, state_.admin_create_rooms(body));
                }));
    server.Put(R"(/sandbox/spark/rooms/([^/]+))",
               with_body([this](const Request& request, Response& response, const json& body) {
                   send_admin(response, state_.admin_rename_room(request.matches[1], body));
               }));
    server.Get(R"(/sandbox/spark/rooms/([^/]+)/messages)",
               [this](const Request& request, Response& response) {
                   send_admin(response, state_.admin_history(request.matches[1]));
               });
    // Undo send in the demo: delete a message as an agent (`?as=`; its author by default).
    server.Delete(
        R"(/sandbox/spark/messages/([^/]+))", [this](const Request& request, Response& response) {
            const Reply reply =
                state_.admin_delete_message(request.matches[1], request.get_param_value("as"));
            if (reply.status == 204) {
                response.status = 204;
                return;
            }
            send_admin(response, reply);
        });
    server.Post(R"(/sandbox/spark/rooms/([^/]+)/messages)",
                with_body([this](const Request& request, Response& response, const json& body) {
                    send_admin(response, admin_post(request.matches[1], body));
                }));

    server.Get("/sandbox/spark/stats", [this](const Request&, Response& response) {
        json calls = json::object();
        std::uint64_t total = 0;
        std::uint64_t faults = 0;
        {
            std::lock_guard lock(mutex_);
            for (const auto& [endpoint, count] : calls_) {
                calls[endpoint] = count;
                total += count;
            }
            faults = faults_served_;
        }
        reply_json(
            response, 200,
            json{{"calls", calls},
                 {"total", total},
                 {"faults_served", faults},
                 {"webhook_deliveries",
                  {{"delivered", dispatcher_.delivered()}, {"failed", dispatcher_.failed()}}}}
                .dump());
    });
    server.Delete("/sandbox/spark/stats", [this](const Request&, Response& response) {
        std::lock_guard lock(mutex_);
        calls_.clear();
        faults_served_ = 0;
        response.status = 204;
    });

    server.Post("/sandbox/spark/faults",
                with_body([this](const Request&, Response& response, const json& body) {
                    Fault fault;
                    const auto number = [&](const char* name, int fallback) -> long long {
                        if (!body.contains(name)) return fallback;
                        return int_field(body, name).value_or(-1000000000);
                    };
                    const long long status = number("status", 429);
                    const long long retry_after = number("retry_after", -1);
                    const long long count = number("count", 1);
                    if (status < 400 || status > 599 || count < 1 || count > 1000000 ||
                        retry_after < -1 || retry_after > 3600) {
                        return reply_error(response, 400,
                                           "status 400-599, count >= 1, retry_after 0-3600");
                    }
                    fault.status = static_cast<int>(status);
                    fault.retry_after = static_cast<int>(retry_after);
                    fault.count = static_cast<int>(count);
                    if (body.contains("path_prefix")) {
                        fault.path_prefix = string_field(body, "path_prefix");
                    }
                    fault.method = string_field(body, "method");
                    if (fault.path_prefix.rfind("/v1", 0) != 0) {
                        return reply_error(response, 400, "path_prefix must start with /v1");
                    }
                    std::lock_guard lock(mutex_);
                    faults_.push_back(fault);
                    reply_json(response, 200, json{{"queued", faults_.size()}}.dump());
                }));
    server.Post("/sandbox/spark/latency",
                with_body([this](const Request&, Response& response, const json& body) {
                    const long long ms = int_field(body, "ms").value_or(-1);
                    if (ms < 1 || ms > 60000) {
                        return reply_error(response, 400, "ms must be a number from 1 to 60000");
                    }
                    Latency latency;
                    latency.ms = static_cast<int>(ms);
                    if (body.contains("path_prefix")) {
                        latency.path_prefix = string_field(body, "path_prefix");
                    }
                    latency.method = string_field(body, "method");
                    if (latency.path_prefix.rfind("/v1", 0) != 0) {
                        return reply_error(response, 400, "path_prefix must start with /v1");
                    }
                    std::lock_guard lock(mutex_);
                    latencies_.push_back(latency);
                    reply_json(response, 200, json{{"active", latencies_.size()}}.dump());
                }));
    server.Get("/sandbox/spark/latency", [this](const Request&, Response& response) {
        json items = json::array();
        std::lock_guard lock(mutex_);
        for (const Latency& latency : latencies_) {
            items.push_back({{"ms", latency.ms},
                             {"path_prefix", latency.path_prefix},
                             {"method", latency.method}});
        }
        reply_json(response, 200, json{{"items", items}}.dump());
    });
    server.Delete("/sandbox/spark/latency", [this](const Request&, Response& response) {
        std::lock_guard lock(mutex_);
        latencies_.clear();
        response.status = 204;
    });

    server.Get("/sandbox/spark/faults", [this](const Request&, Response& response) {
        json items = json::array();
        std::lock_guard lock(mutex_);
        for (const Fault& fault : faults_) {
            items.push_back({{"status", fault.status},
                             {"retry_after", fault.retry_after},
                             {"count", fault.count},
                             {"path_prefix", fault.path_prefix},
                             {"method", fault.method}});
        }
        reply_json(response, 200, json{{"items", items}}.dump());
    });
    server.Delete("/sandbox/spark/faults", [this](const Request&, Response& response) {
        std::lock_guard lock(mutex_);
        faults_.clear();
        response.status = 204;
    });
}

}  // namespace sb::sandbox::spark
