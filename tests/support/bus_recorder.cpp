#include "bus_recorder.h"

#include "process.h"

namespace sb::testing {
namespace {

delivery::Options options_for(const std::string& instance, std::vector<std::string> topics,
                              const std::string& data_dir, const std::string& publish,
                              const std::string& subscribe) {
    delivery::Options options;
    options.service = instance;
    options.instance = instance;
    options.data_dir = data_dir;
    options.publish_endpoint = publish;
    options.subscribe_endpoint = subscribe;
    options.consume = std::move(topics);
    return options;
}

}  // namespace

BusRecorder::BusRecorder(const std::string& instance, std::vector<std::string> topics,
                         const std::string& data_dir, const std::string& publish,
                         const std::string& subscribe)
    : node_(options_for(instance, std::move(topics), data_dir, publish, subscribe)) {
    node_.on_event([this](const delivery::Inbound& inbound, delivery::Transaction& transaction) {
        {
            std::lock_guard lock(mutex_);
            recorded_.push_back({inbound.topic, inbound.event});
        }
        if (handler_) handler_(inbound, transaction);
    });
}

BusRecorder::~BusRecorder() {
    stop();
}

void BusRecorder::on_event(Handler handler) {
    handler_ = std::move(handler);
}

void BusRecorder::stop() {
    node_.stop();  // first: the handler and the records must outlive the worker thread
}

std::vector<Envelope> BusRecorder::events(std::string_view topic) const {
    std::lock_guard lock(mutex_);
    std::vector<Envelope> found;
    for (const Recorded& recorded : recorded_) {
        if (topic.empty() || recorded.topic == topic) found.push_back(recorded.event);
    }
    return found;
}

bool BusRecorder::wait_for(const std::function<bool(const Envelope&)>& match,
                           std::chrono::milliseconds timeout) const {
    return wait_until(
        [&] {
            for (const Envelope& event : events()) {
                if (match(event)) return true;
            }
            return false;
        },
        timeout);
}

}  // namespace sb::testing
