// Truncated, corrupt and hostile GGUF files: each must fail with a sentence naming the problem,
// never crash, never allocate absurd memory (the ASan build and the fuzzer back this up).
#include "GgufSamples.h"
#include "inference/gguf/GgufFile.h"

#include <QTest>
#include <string_view>

using namespace lucent;

namespace {

// Writes GGUF fields by hand so tests can put any lie in any field.
struct Raw {
    std::vector<uint8_t> b;
    Raw& u8(uint8_t v) { b.push_back(v); return *this; }
    Raw& u32(uint32_t v) { for (int i = 0; i < 4; ++i) b.push_back(uint8_t(v >> (8 * i))); return *this; }
    Raw& u64(uint64_t v) { for (int i = 0; i < 8; ++i) b.push_back(uint8_t(v >> (8 * i))); return *this; }
    Raw& str(std::string_view s) { u64(s.size()); b.insert(b.end(), s.begin(), s.end()); return *this; }
    Raw& text(std::string_view s) { b.insert(b.end(), s.begin(), s.end()); return *this; }
    Raw& header(uint64_t tensors, uint64_t kvs, uint32_t version = 3) { text("GGUF"); u32(version); u64(tensors); return u64(kvs); }
    Raw& tensor(std::string_view name, std::vector<uint64_t> shape, uint32_t type, uint64_t offset) {
        str(name);
        u32(uint32_t(shape.size()));
        for (auto d : shape) u64(d);
        u32(type);
        return u64(offset);
    }
    Raw& padTo(size_t alignment) { while (b.size() % alignment) b.push_back(0); return *this; }
    Raw& zeros(size_t n) { b.insert(b.end(), n, 0); return *this; }
};

QString errorOf(const std::vector<uint8_t>& bytes) {
    auto file = GgufFile::fromMemory(bytes, "bad.gguf");
    return file.ok() ? QString("<accepted>") : QString::fromStdString(file.error().message);
}

} // namespace

class TestGgufHostile : public QObject {
    Q_OBJECT

private slots:
    void rejectedWithAClearSentence_data() {
        QTest::addColumn<std::vector<uint8_t>>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << std::vector<uint8_t>{} << "is not a GGUF model file";
        QTest::newRow("wrong magic") << Raw().text("GGML").u32(3).b << "does not start with the GGUF signature";
        QTest::newRow("git lfs pointer")
            << Raw().text("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n").b << "Git LFS pointer";
        QTest::newRow("html page") << Raw().text("<!DOCTYPE html><html><body>Not found</body></html>").b << "web page";
        QTest::newRow("version 1") << Raw().header(0, 0, 1).b << "version 1, which is no longer supported";
        QTest::newRow("version 99") << Raw().header(0, 0, 99).b << "version 99";
        QTest::newRow("header cut") << Raw().text("GGUF").u32(3).u64(0).b << "truncated";
        QTest::newRow("huge tensor count") << Raw().header(1ull << 62, 0).b << "tensors, more than the file can hold";
        QTest::newRow("huge kv count") << Raw().header(0, ~0ull).b << "metadata entries, more than the file can hold";
        QTest::newRow("key length 2^63") << Raw().header(0, 1).u64(1ull << 63).zeros(16).b << "a metadata key of 9,223,372,036,854,775,808 bytes runs past the end";
        QTest::newRow("string length past end") << Raw().header(0, 1).str("k").u32(8).u64(1000).text("short").b << "truncated";
        {
            Raw longKey;
            longKey.header(0, 1).str(std::string(70000, 'k')).u32(0).u8(1);
            QTest::newRow("key longer than 65535") << longKey.b << "claims a length of 70,000 bytes";
        }
        QTest::newRow("array count overflow")
            << Raw().header(0, 1).str("k").u32(9).u32(10).u64(1ull << 61).zeros(16).b << "truncated";
        QTest::newRow("array of unknown type") << Raw().header(0, 1).str("k").u32(9).u32(77).u64(1).zeros(8).b << "unknown element type 77";
        QTest::newRow("unknown value type") << Raw().header(0, 1).str("k").u32(13).zeros(8).b << "unknown type 13";
        QTest::newRow("bool is 2") << Raw().header(0, 1).str("k").u32(7).u8(2).b << "boolean value is 2";
        {
            Raw deep;
            deep.header(0, 1).str("k").u32(9);
            for (int i = 0; i < 20; ++i) deep.u32(9).u64(1);
            deep.u32(0).u64(0);
            QTest::newRow("arrays nested 20 deep") << deep.b << "nested too deeply";
        }
        QTest::newRow("duplicate key") << Raw().header(0, 2).str("k").u32(0).u8(1).str("k").u32(0).u8(2).b << "'k' appears twice";
        QTest::newRow("empty key") << Raw().header(0, 1).str("").u32(0).u8(1).zeros(8).b << "empty key";
        QTest::newRow("alignment 3") << Raw().header(0, 1).str("general.alignment").u32(4).u32(3).b << "power of two";
        QTest::newRow("alignment 0") << Raw().header(0, 1).str("general.alignment").u32(4).u32(0).b << "power of two";
        QTest::newRow("alignment string") << Raw().header(0, 1).str("general.alignment").u32(8).str("32").b << "power of two";
        QTest::newRow("5 dimensions") << Raw().header(1, 0).tensor("t", {1, 1, 1, 1, 1}, 0, 0).padTo(32).zeros(4).b << "5 dimensions";
        QTest::newRow("0 dimensions") << Raw().header(1, 0).tensor("t", {}, 0, 0).padTo(32).zeros(4).b << "0 dimensions";
        QTest::newRow("zero-sized dimension") << Raw().header(1, 0).tensor("t", {4, 0}, 0, 0).padTo(32).zeros(16).b << "size 0";
        QTest::newRow("shape overflow")
            << Raw().header(1, 0).tensor("t", {1ull << 40, 1ull << 40}, 0, 0).padTo(32).zeros(4).b << "impossibly large";
        QTest::newRow("row not a block multiple") << Raw().header(1, 0).tensor("t", {33}, 2, 0).padTo(32).zeros(64).b << "not a multiple of 32";
        QTest::newRow("unknown type id") << Raw().header(1, 0).tensor("t", {32}, 99, 0).padTo(32).zeros(64).b << "tensor type id 99";
        QTest::newRow("unsupported IQ2_XXS")
            << Raw().header(1, 0).tensor("blk.0.ffn_up.weight", {256}, 16, 0).padTo(32).zeros(256).b
            << "uses tensor type IQ2_XXS (in tensor 'blk.0.ffn_up.weight'), which Lucent does not support yet";
        QTest::newRow("misaligned offset") << Raw().header(1, 0).tensor("t", {4}, 0, 4).padTo(32).zeros(64).b << "not a multiple of the alignment";
        QTest::newRow("tensor past end of file")
            << Raw().header(1, 0).tensor("output.weight", {64}, 0, 0).padTo(32).zeros(100).b
            << "truncated: tensor 'output.weight' needs bytes up to";
        QTest::newRow("offset past end of file") << Raw().header(1, 0).tensor("t", {4}, 0, 1ull << 62).padTo(32).zeros(16).b << "truncated";
        QTest::newRow("no data section") << Raw().header(1, 0).tensor("t", {4}, 0, 0).b << "truncated";
        QTest::newRow("overlapping tensors")
            << Raw().header(2, 0).tensor("a", {16}, 0, 0).tensor("b", {16}, 0, 32).padTo(32).zeros(128).b << "'a' and 'b' overlap";
        QTest::newRow("duplicate tensor") << Raw().header(2, 0).tensor("a", {4}, 0, 0).tensor("a", {4}, 0, 32).padTo(32).zeros(64).b
                                          << "tensor 'a' appears twice";
        QTest::newRow("empty tensor name") << Raw().header(1, 0).tensor("", {4}, 0, 0).padTo(32).zeros(16).b << "empty name";
    }
    void rejectedWithAClearSentence() {
        QFETCH(std::vector<uint8_t>, bytes);
        QFETCH(QString, expected);
        const QString error = errorOf(bytes);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.startsWith("bad.gguf "), qPrintable(error)); // names the file
        QVERIFY(error.endsWith('.') || error.endsWith(')')); // a sentence
    }

    void everyTruncationFails() {
        const auto bytes = testing::sampleWriter().toBytes();
        QVERIFY(GgufFile::fromMemory(bytes).ok());
        for (size_t length = 0; length < bytes.size(); ++length) {
            const std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + std::ptrdiff_t(length));
            auto file = GgufFile::fromMemory(prefix, "cut.gguf");
            if (file.ok()) QFAIL(qPrintable(QString("a file cut to %1 of %2 bytes was accepted").arg(length).arg(bytes.size())));
        }
    }

    void everySingleByteCorruptionIsHandled() {
        // Flipping any byte must give a clean result (accepted or a clear error) — under ASan this
        // also proves no out-of-bounds read.
        auto bytes = testing::sampleWriter().toBytes();
        const auto file = GgufFile::fromMemory(bytes);
        const size_t headerEnd = file->dataOffset();
        for (size_t i = 0; i < headerEnd; ++i)
            for (uint8_t flip : {uint8_t(0x01), uint8_t(0x80), uint8_t(0xff)}) {
                bytes[i] ^= flip;
                auto result = GgufFile::fromMemory(bytes, "flip.gguf");
                if (!result.ok()) QVERIFY(!result.error().message.empty());
                bytes[i] ^= flip;
            }
    }

    void missingFileAndFolder() {
        auto missing = GgufFile::open("/nonexistent/model.gguf");
        QVERIFY(!missing.ok());
        QVERIFY(QString::fromStdString(missing.error().message).contains("does not exist"));
        auto folder = GgufFile::open("/tmp");
        QVERIFY(!folder.ok());
        QVERIFY(QString::fromStdString(folder.error().message).contains("is a folder"));
    }
};

QTEST_GUILESS_MAIN(TestGgufHostile)
#include "tst_gguf_hostile.moc"
