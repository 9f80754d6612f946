#include "inference/tokenizer/StreamingDetokenizer.h"

#include "inference/tokenizer/Utf8.h"

namespace lucent {

std::string StreamingDetokenizer::push(int32_t id) {
    pending_ += tokenizer_->tokenToPiece(id, renderSpecial_);
    const size_t hold = incompleteUtf8Tail(pending_);
    std::string ready = repairUtf8(std::string_view(pending_).substr(0, pending_.size() - hold));
    pending_.erase(0, pending_.size() - hold);
    return ready;
}

std::string StreamingDetokenizer::finish() {
    std::string rest = repairUtf8(pending_);
    pending_.clear();
    return rest;
}

} // namespace lucent
