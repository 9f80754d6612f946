// The child process of tst_storage_crash and tst_storage_failures. Modes:
//   stream DB ROUND        write round ROUND of CrashScript, then stream until killed
//   append-big DB LIMIT    under a file-size limit of LIMIT bytes, append a 1 MiB message
//   open DB LIMIT          under a file-size limit, only open (and so upgrade) the store
//   open-as-nobody DB      drop root to uid/gid 65534, then open the store
// Lines on stdout tell the parent what was committed; an expected failure prints
// "error: <message>" and exits 3.
#include "CrashScript.h"
#include "storage/ChatStore.h"
#include "storage/StreamingWriter.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

using namespace lucent;

namespace {

int failed(const Error& error) {
    std::printf("error: %s\n", error.message.c_str());
    std::fflush(stdout);
    return 3;
}

void say(const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout); // the parent may kill us right after: the line must be in the pipe
}

int stream(const std::string& path, int round) {
    auto store = ChatStore::open(path);
    if (!store) return failed(store.error());
    auto chat = store->createConversation({"round " + std::to_string(round), "m", "", "{}"});
    if (!chat) return failed(chat.error());
    NewMessage question;
    question.content = crash_script::question(round);
    auto asked = store->appendMessage(*chat, std::nullopt, question);
    if (!asked) return failed(asked.error());
    say("committed question " + std::to_string(*asked) + " " + std::to_string(round));

    auto answered = store->beginStreamingReply(*chat, *asked, "m", "{}");
    if (!answered) return failed(answered.error());
    {
        StreamingWriter writer(*store, *answered, std::chrono::milliseconds(1));
        const std::string text = crash_script::answer(round);
        for (std::size_t i = 0; i < text.size(); i += 16)
            if (auto ok = writer.appendContent(std::string_view(text).substr(i, 16)); !ok) return failed(ok.error());
        if (auto ok = writer.finish({10, 50, 12.5, 0}, FinishReason::Stop); !ok) return failed(ok.error());
    }
    say("committed answer " + std::to_string(*answered) + " " + std::to_string(round));

    auto reply = store->beginStreamingReply(*chat, *asked, "m", "{}");
    if (!reply) return failed(reply.error());
    say("streaming " + std::to_string(*reply));
    StreamingWriter writer(*store, *reply, std::chrono::milliseconds(2));
    for (int index = 0; index < 200000; ++index) {
        const std::string piece = crash_script::piece(round, index);
        const int before = writer.flushCount();
        auto ok = index < crash_script::kReasoningPieces ? writer.appendReasoning(piece)
                                                         : writer.appendContent(piece);
        if (!ok) return failed(ok.error());
        if (writer.flushCount() != before) say("flushed " + std::to_string(index + 1));
        std::this_thread::sleep_for(std::chrono::microseconds(150)); // a fast model
    }
    return 0;
}

void limitFileSize(long bytes) {
    std::signal(SIGXFSZ, SIG_IGN); // get EFBIG from write() instead of dying
    rlimit limit{static_cast<rlim_t>(bytes), static_cast<rlim_t>(bytes)};
    setrlimit(RLIMIT_FSIZE, &limit);
}

int appendBig(const std::string& path) {
    auto store = ChatStore::open(path);
    if (!store) return failed(store.error());
    auto recent = store->listRecent(1);
    if (!recent || recent->empty()) return 2;
    NewMessage big;
    big.content.assign(1 << 20, 'x');
    auto added = store->appendMessage(recent->front().id, std::nullopt, big);
    if (!added) return failed(added.error());
    say("appended");
    return 0;
}

int openOnly(const std::string& path) {
    auto store = ChatStore::open(path);
    if (!store) return failed(store.error());
    say("opened");
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    const std::string mode = argv[1];
    const std::string path = argv[2];
    if (mode == "stream" && argc == 4) return stream(path, std::atoi(argv[3]));
    if (mode == "append-big" && argc == 4) {
        limitFileSize(std::atol(argv[3]));
        return appendBig(path);
    }
    if (mode == "open" && argc == 4) {
        limitFileSize(std::atol(argv[3]));
        return openOnly(path);
    }
    if (mode == "open-as-nobody") {
        if (setgid(65534) != 0 || setuid(65534) != 0) return 4;
        return openOnly(path);
    }
    return 2;
}
