#include "file_server.h"

#include <chrono>
#include <stdexcept>

#include "process.h"

namespace sb::testing {

FileServer::FileServer() {
    server_.Get(R"(/.*)", [this](const httplib::Request& request, httplib::Response& response) {
        std::lock_guard lock(mutex_);
        ++requests_[request.path];
        const auto found = files_.find(request.path);
        if (found == files_.end()) {
            response.status = 404;
            return;
        }
        response.status = found->second.status;
        response.set_content(found->second.bytes, found->second.content_type);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("file server: cannot bind on 127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    if (!wait_until([this] { return server_.is_running(); }, std::chrono::seconds(5))) {
        throw std::runtime_error("file server: not running");
    }
}

FileServer::~FileServer() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
}

void FileServer::put(const std::string& path, const std::string& content_type, std::string bytes,
                     int status) {
    std::lock_guard lock(mutex_);
    files_[path] = File{content_type, std::move(bytes), status};
}

std::string FileServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

int FileServer::requests(const std::string& path) const {
    std::lock_guard lock(mutex_);
    const auto found = requests_.find(path);
    return found == requests_.end() ? 0 : found->second;
}

}  // namespace sb::testing
