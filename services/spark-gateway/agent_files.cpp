#include "agent_files.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "switchboard/api_client.h"
#include "switchboard/logging.h"
#include "switchboard/text.h"

namespace sb::spark_gateway {
namespace {

constexpr const char* kCaBundle = "/etc/ssl/certs/ca-certificates.crt";
constexpr std::chrono::seconds kDefaultRetryAfter{5};
constexpr std::chrono::seconds kMaxRetryAfter{30};
constexpr std::chrono::seconds kMaxBackoff{15};
constexpr std::chrono::minutes kSweepEvery{10};

std::chrono::seconds retry_after_of(const std::string& header) {
    const std::string_view value = trim(header);
    if (value.empty() || value.size() > 6 ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return kDefaultRetryAfter;  // missing, or an HTTP date: we do not trust our clock for it
    }
    return std::clamp(std::chrono::seconds(std::stol(std::string(value))), std::chrono::seconds(1),
                      kMaxRetryAfter);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int high = hex_value(text[i + 1]);
            const int low = hex_value(text[i + 2]);
            if (high >= 0 && low >= 0) {
                out += static_cast<char>(high * 16 + low);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

// The value of parameter `name` in a header such as `attachment; filename="a b.png"`: quoted
// (with backslash escapes) or a token up to the next ';'. Parameter names match in any case.
std::optional<std::string> parameter(std::string_view header, std::string_view name) {
    size_t at = 0;
    while ((at = header.find(';', at)) != std::string_view::npos) {
        ++at;
        while (at < header.size() && header[at] == ' ') ++at;
        const size_t equals = header.find('=', at);
        if (equals == std::string_view::npos) return std::nullopt;
        if (!iequals(trim(header.substr(at, equals - at)), name)) continue;
        size_t value = equals + 1;
        while (value < header.size() && header[value] == ' ') ++value;
        std::string out;
        if (value < header.size() && header[value] == '"') {
            for (size_t i = value + 1; i < header.size() && header[i] != '"'; ++i) {
                if (header[i] == '\\' && i + 1 < header.size()) ++i;
                out += header[i];
            }
        } else {
            const size_t end = header.find(';', value);
            out = std::string(trim(header.substr(value, end - value)));
        }
        return out;
    }
    return std::nullopt;
}

bool split_url(const std::string& url, std::string& origin, std::string& path) {
    const size_t scheme = url.find("://");
    if (scheme == std::string::npos) return false;
    const size_t slash = url.find('/', scheme + 3);
    origin = url.substr(0, slash);
    path = slash == std::string::npos ? "/" : url.substr(slash);
    return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

}  // namespace

FetchStep next_fetch_step(const FetchAnswer& answer, std::chrono::seconds waited, int attempt,
                          const FileLimits& limits) {
    using Kind = FetchStep::Kind;
    const auto wait_or_give_up = [&](std::chrono::seconds wait, const std::string& why) {
        if (waited + wait > limits.max_wait) {
            return FetchStep{Kind::refuse,
                             {},
                             why + " for over " + std::to_string(limits.max_wait.count()) +
                                 " seconds; send it again later"};
        }
        return FetchStep{Kind::wait, wait, {}};
    };
    if (answer.too_large) {
        return {Kind::refuse,
                {},
                "it is larger than " + shown_size(limits.max_bytes) +
                    ", the most a text message can carry; share a link to it instead"};
    }
    switch (answer.status) {
        case 200:
            return {Kind::keep, {}, {}};
        case 423:
            return wait_or_give_up(retry_after_of(answer.retry_after),
                                   "Webex was still scanning it for malware");
        case 429:
            return wait_or_give_up(retry_after_of(answer.retry_after), "Webex was busy");
        case 410:
            return {Kind::refuse, {}, "Webex found malware in it (the file is blocked)"};
        case 428:
            return {Kind::refuse,
                    {},
                    "Webex could not scan it for malware (an encrypted or password-protected "
                    "file?); send it in a form Webex can scan"};
        default:
            break;
    }
    if (answer.status == 0 || answer.status >= 500) {
        const auto backoff =
            std::min(std::chrono::seconds(1LL << std::min(attempt - 1, 4)), kMaxBackoff);
        return wait_or_give_up(
            backoff, answer.status == 0 ? "Webex could not be reached" : "Webex kept failing");
    }
    return {Kind::refuse,
            {},
            "Webex would not hand it over (HTTP " + std::to_string(answer.status) + ")"};
}

std::string file_name_from(std::string_view content_disposition, std::string_view url) {
    if (const auto extended = parameter(content_disposition, "filename*")) {
        // RFC 5987: charset'language'percent-encoded; Webex and browsers use UTF-8.
        const size_t quote = extended->find('\'');
        const size_t second =
            quote == std::string::npos ? std::string::npos : extended->find('\'', quote + 1);
        if (second != std::string::npos) {
            std::string name = percent_decode(std::string_view(*extended).substr(second + 1));
            if (!trim(name).empty()) return name;
        }
    }
    if (const auto plain = parameter(content_disposition, "filename")) {
        if (!trim(*plain).empty()) return *plain;
    }
    std::string_view path = url.substr(0, url.find_first_of("?#"));
    const size_t scheme = path.find("://");
    if (scheme != std::string_view::npos) path.remove_prefix(scheme + 3);
    const size_t slash = path.rfind('/');
    if (slash != std::string_view::npos && slash + 1 < path.size()) {
        return percent_decode(path.substr(slash + 1));
    }
    return "file";
}

std::string shown_size(size_t bytes) {
    char text[32];
    if (bytes >= 1'000'000) {
        const double megabytes = static_cast<double>(bytes) / 1e6;
        std::snprintf(text, sizeof text, bytes % 1'000'000 == 0 ? "%.0f MB" : "%.1f MB", megabytes);
    } else {
        std::snprintf(text, sizeof text, "%zu kB", (bytes + 999) / 1000);
    }
    return text;
}

bool files_for_customer(const AgentMessage& message, const std::string& team_id) {
    return !message.files.empty() && !message.from_bridge && message.room_type != "direct" &&
           !team_id.empty() && message.room_team_id == team_id &&
           message.mentioned_people.empty() && message.mentioned_groups.empty();
}

AgentFiles::AgentFiles(const std::string& api_url, std::string token, std::string public_files_base,
                       FileStore& store, FileLimits limits, Metrics& metrics)
    : token_(std::move(token)),
      public_files_base_(std::move(public_files_base)),
      store_(store),
      limits_(limits),
      metrics_(metrics) {
    const auto base = BaseUrl::parse(api_url);
    if (base) origin_ = base->origin;
}

void AgentFiles::cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    for (httplib::Client* client : in_flight_) client->stop();
}

void AgentFiles::sweep_now_and_then() {
    const auto now = SteadyClock::now();
    {
        std::lock_guard lock(mutex_);
        if (now < next_sweep_) return;
        next_sweep_ = now + kSweepEvery;
    }
    try {
        const size_t removed = store_.sweep(WallClock::now());
        if (removed > 0) spdlog::info("files: {} expired file(s) deleted", removed);
    } catch (const std::exception& error) {
        spdlog::warn("files: sweep failed: {}", error.what());
    }
}

FetchAnswer AgentFiles::download(const std::string& url) {
    FetchAnswer answer;
    std::string origin;
    std::string path;
    if (!split_url(url, origin, path) || origin != origin_) {
        // Only Webex's own content URLs are fetched: the token is never sent anywhere else.
        answer.status = 400;
        answer.error = "not a Webex content URL";
        return answer;
    }
    httplib::Client client(origin);
    client.set_connection_timeout(std::chrono::seconds(5));
    client.set_read_timeout(std::chrono::seconds(30));
    client.set_keep_alive(false);
    client.set_follow_location(false);  // a redirect would take the token along
    if (origin.rfind("https://", 0) == 0) {
        client.set_ca_cert_path(kCaBundle);
        client.enable_server_certificate_verification(true);
    }
    client.set_bearer_token_auth(token_.c_str());
    {
        std::lock_guard lock(mutex_);
        if (cancelled_) {
            answer.error = "cancelled";
            return answer;
        }
        in_flight_.insert(&client);
    }
    const auto result = client.Get(
        path.c_str(), httplib::Headers{},
        [&](const httplib::Response& response) {
            answer.status = response.status;
            answer.retry_after = response.get_header_value("Retry-After");
            answer.content_type = response.get_header_value("Content-Type");
            answer.content_disposition = response.get_header_value("Content-Disposition");
            const std::string length = response.get_header_value("Content-Length");
            if (response.status == 200 && !length.empty() &&
                std::all_of(length.begin(), length.end(),
                            [](char c) { return c >= '0' && c <= '9'; }) &&
                (length.size() > 15 || std::stoull(length) > limits_.max_bytes)) {
                answer.too_large = true;
                return false;  // not a byte more than needed
            }
            return true;
        },
        [&](const char* data, size_t length) {
            if (answer.bytes.size() + length > limits_.max_bytes) {
                answer.too_large = true;
                return false;
            }
            answer.bytes.append(data, length);
            return true;
        });
    {
        std::lock_guard lock(mutex_);
        in_flight_.erase(&client);
    }
    if (!result && !answer.too_large) {
        answer.status = 0;
        answer.error = httplib::to_string(result.error());
        answer.bytes.clear();
    }
    metrics_
        .counter("spark_file_fetches_total", "GETs of agents' Webex files, by HTTP status",
                 {{"status", answer.too_large ? "too large" : std::to_string(answer.status)}})
        .add();
    return answer;
}

bool AgentFiles::attach(AgentMessage& message, const Pause& pause) {
    sweep_now_and_then();
    const std::string fields = "message=" + message.message_id.substr(0, 16);
    for (const std::string& url : message.files) {
        std::chrono::seconds waited{0};
        FetchAnswer answer;
        FetchStep step;
        for (int attempt = 1;; ++attempt) {
            answer = download(url);
            {
                std::lock_guard lock(mutex_);
                if (cancelled_) return false;
            }
            step = next_fetch_step(answer, waited, attempt, limits_);
            if (step.kind != FetchStep::Kind::wait) break;
            spdlog::info("files: {} answered {}; asking again in {} s ({})", fields,
                         answer.status == 0 ? answer.error : std::to_string(answer.status),
                         step.wait.count(), logging::escape(url));
            if (!pause(step.wait)) return false;
            waited += step.wait;
        }
        const std::string name = file_name_from(answer.content_disposition, url);
        if (step.kind == FetchStep::Kind::keep) {
            try {
                const std::string token =
                    store_.put(answer.bytes, answer.content_type, name, WallClock::now());
                message.attachments.push_back(
                    {public_files_base_ + token, served_content_type(answer.content_type), name});
                metrics_
                    .counter("spark_files_total", "Agents' files, by outcome",
                             {{"outcome", "stored"}})
                    .add();
                continue;
            } catch (const std::exception& error) {
                spdlog::error("files: {}: cannot store a file: {}", fields, error.what());
                step.reason = "it could not be stored for the customer; try again later";
            }
        }
        const std::string shown = answer.status == 200 || answer.too_large ? name : "A file";
        message.file_refusals.push_back((shown == "A file" ? shown : "\"" + shown + "\"") +
                                        " was not sent to the customer: " + step.reason + ".");
        metrics_.counter("spark_files_total", "Agents' files, by outcome", {{"outcome", "refused"}})
            .add();
        spdlog::warn("files: {}: not passed on: {}", fields, step.reason);
    }
    return true;
}

void serve_file(const FileStore& store, const std::string& token, httplib::Response& response) {
    const FileLookup lookup = store.get(token, WallClock::now());
    response.set_header("Cache-Control", "private, no-store");
    response.set_header("X-Content-Type-Options", "nosniff");
    if (!lookup.file) {
        response.status = lookup.status;
        response.set_content(lookup.status == 410 ? "This link has expired.\n" : "Not found.\n",
                             "text/plain; charset=utf-8");
        return;
    }
    const StoredFile& file = *lookup.file;
    const std::string type = served_content_type(file.content_type);
    response.status = 200;
    // Whatever the file is, it never runs as a page of our origin.
    response.set_header("Content-Security-Policy", "default-src 'none'; sandbox");
    response.set_header("Content-Disposition", content_disposition(file.name, type));
    response.set_content(file.bytes, type);
}

}  // namespace sb::spark_gateway
