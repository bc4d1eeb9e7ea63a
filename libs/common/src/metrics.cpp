#include "switchboard/metrics.h"

#include <cstdio>
#include <sstream>

namespace sb {
namespace {

std::string render_labels(const Labels& labels) {
    if (labels.empty()) return {};
    std::string text = "{";
    bool first = true;
    for (const auto& [name, value] : labels) {
        if (!first) text += ',';
        first = false;
        text += name + "=\"" + escape_label_value(value) + '"';
    }
    return text + '}';
}

std::string format_number(double value) {
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

}  // namespace

std::string escape_label_value(const std::string& value) {
    std::string escaped;
    for (const char c : value) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

Metrics::Metrics(std::string prefix) : prefix_(std::move(prefix)) {}

Counter& Metrics::counter(const std::string& name, const std::string& help, const Labels& labels) {
    std::lock_guard lock(mutex_);
    Family& family = families_[prefix_ + "_" + name];
    family.help = help;
    family.type = "counter";
    Counter*& slot = family.counters[render_labels(labels)];
    if (slot == nullptr) slot = &storage_.emplace_back();
    return *slot;
}

void Metrics::gauge(const std::string& name, const std::string& help, std::function<double()> read,
                    const Labels& labels) {
    std::lock_guard lock(mutex_);
    Family& family = families_[prefix_ + "_" + name];
    family.help = help;
    family.type = "gauge";
    family.gauges[render_labels(labels)] = std::move(read);
}

std::string Metrics::render() const {
    // Gauges are read after the registry's lock is released: a gauge may take its service's
    // own lock, and that service may be adding to a counter under that lock at this moment
    // (the router does): reading under both would deadlock the two.
    std::map<std::string, Family> snapshot;
    {
        std::lock_guard lock(mutex_);
        snapshot = families_;
    }
    std::ostringstream out;
    for (const auto& [name, family] : snapshot) {
        out << "# HELP " << name << ' ' << family.help << '\n';
        out << "# TYPE " << name << ' ' << family.type << '\n';
        for (const auto& [labels, counter] : family.counters) {
            out << name << labels << ' ' << counter->value() << '\n';
        }
        for (const auto& [labels, read] : family.gauges) {
            out << name << labels << ' ' << format_number(read()) << '\n';
        }
    }
    return out.str();
}

}  // namespace sb
