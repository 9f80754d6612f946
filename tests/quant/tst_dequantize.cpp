// dequantizeRow against an independent, literal transcription of ENGINE.md §1, on random blocks.
// The reference below indexes raw bytes at the documented offsets instead of using BlockFormats.h,
// so a wrong struct layout or nibble order shows up as a mismatch.
#include "inference/quant/Dequantize.h"
#include "inference/quant/Fp16.h"

#include <QTest>
#include <cstring>
#include <random>
#include <vector>

using namespace lucent;

namespace {

float f16At(const uint8_t* p) {
    uint16_t bits;
    std::memcpy(&bits, p, 2);
    return halfToFloat(bits);
}

void scaleMin(const uint8_t* s, int i, int& sc, int& m) {
    if (i < 4) {
        sc = s[i] & 63;
        m = s[i + 4] & 63;
    } else {
        sc = (s[i + 4] & 15) | ((s[i - 4] >> 6) << 4);
        m = (s[i + 4] >> 4) | ((s[i] >> 6) << 4);
    }
}

std::vector<float> referenceBlock(TensorType type, const uint8_t* b) {
    std::vector<float> w(type == TensorType::Q4_K || type == TensorType::Q5_K || type == TensorType::Q6_K ? 256 : 32);
    switch (type) {
    case TensorType::Q4_0:
        for (int j = 0; j < 16; ++j) {
            w[j] = f16At(b) * float((b[2 + j] & 15) - 8);
            w[j + 16] = f16At(b) * float((b[2 + j] >> 4) - 8);
        }
        break;
    case TensorType::Q4_1:
        for (int j = 0; j < 16; ++j) {
            w[j] = f16At(b) * float(b[4 + j] & 15) + f16At(b + 2);
            w[j + 16] = f16At(b) * float(b[4 + j] >> 4) + f16At(b + 2);
        }
        break;
    case TensorType::Q5_0:
    case TensorType::Q5_1: {
        const bool affine = type == TensorType::Q5_1;
        const uint8_t* qhp = b + (affine ? 4 : 2);
        const uint8_t* qs = qhp + 4;
        const uint32_t qh = uint32_t(qhp[0]) | uint32_t(qhp[1]) << 8 | uint32_t(qhp[2]) << 16 | uint32_t(qhp[3]) << 24;
        for (int j = 0; j < 16; ++j) {
            const int lo = (qs[j] & 15) | int((qh >> j) & 1) << 4;
            const int hi = (qs[j] >> 4) | int((qh >> (j + 16)) & 1) << 4;
            w[j] = affine ? f16At(b) * float(lo) + f16At(b + 2) : f16At(b) * float(lo - 16);
            w[j + 16] = affine ? f16At(b) * float(hi) + f16At(b + 2) : f16At(b) * float(hi - 16);
        }
        break;
    }
    case TensorType::Q8_0:
        for (int j = 0; j < 32; ++j) w[j] = f16At(b) * float(int8_t(b[2 + j]));
        break;
    case TensorType::Q4_K:
    case TensorType::Q5_K: {
        const bool five = type == TensorType::Q5_K;
        const float d = f16At(b), dmin = f16At(b + 2);
        const uint8_t* s = b + 4;
        const uint8_t* qh = b + 16;
        const uint8_t* qs = b + (five ? 48 : 16);
        for (int c = 0; c < 4; ++c)
            for (int l = 0; l < 32; ++l) {
                int sc0, m0, sc1, m1;
                scaleMin(s, 2 * c, sc0, m0);
                scaleMin(s, 2 * c + 1, sc1, m1);
                int lo = qs[32 * c + l] & 15, hi = qs[32 * c + l] >> 4;
                if (five && ((qh[l] >> (2 * c)) & 1)) lo += 16;
                if (five && ((qh[l] >> (2 * c + 1)) & 1)) hi += 16;
                w[64 * c + l] = d * float(sc0) * float(lo) - dmin * float(m0);
                w[64 * c + 32 + l] = d * float(sc1) * float(hi) - dmin * float(m1);
            }
        break;
    }
    case TensorType::Q6_K: {
        const float d = f16At(b + 208);
        for (int h = 0; h < 2; ++h) {
            const uint8_t* L = b + 64 * h;
            const uint8_t* H = b + 128 + 32 * h;
            const int8_t* S = reinterpret_cast<const int8_t*>(b + 192 + 8 * h);
            for (int l = 0; l < 32; ++l) {
                const int g = l / 16;
                w[128 * h + l] = d * float(S[g]) * float(((L[l] & 15) | (H[l] & 3) << 4) - 32);
                w[128 * h + l + 32] = d * float(S[g + 2]) * float(((L[l + 32] & 15) | ((H[l] >> 2) & 3) << 4) - 32);
                w[128 * h + l + 64] = d * float(S[g + 4]) * float((L[l] >> 4 | ((H[l] >> 4) & 3) << 4) - 32);
                w[128 * h + l + 96] = d * float(S[g + 6]) * float((L[l + 32] >> 4 | ((H[l] >> 6) & 3) << 4) - 32);
            }
        }
        break;
    }
    default: break;
    }
    return w;
}

// Random bytes, with the fp16 scale fields replaced by finite values so comparisons mean something.
std::vector<uint8_t> randomBlocks(TensorType type, int count, std::mt19937& rng) {
    const auto& info = tensorTypeInfo(type);
    std::vector<uint8_t> bytes(size_t(count) * info.blockBytes);
    for (auto& byte : bytes) byte = uint8_t(rng());
    std::normal_distribution<float> normal(0.0f, 0.05f);
    for (int b = 0; b < count; ++b) {
        uint8_t* block = bytes.data() + size_t(b) * info.blockBytes;
        auto putHalf = [&](size_t offset) {
            const uint16_t h = floatToHalf(normal(rng));
            std::memcpy(block + offset, &h, 2);
        };
        if (type == TensorType::Q6_K) {
            putHalf(208);
        } else {
            putHalf(0);
            if (type == TensorType::Q4_1 || type == TensorType::Q5_1 || type == TensorType::Q4_K || type == TensorType::Q5_K)
                putHalf(2);
        }
    }
    return bytes;
}

} // namespace

class TestDequantize : public QObject {
    Q_OBJECT

private slots:
    void matchesLiteralFormulas_data() {
        QTest::addColumn<int>("type");
        for (auto type : {TensorType::Q4_0, TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1, TensorType::Q8_0,
                          TensorType::Q4_K, TensorType::Q5_K, TensorType::Q6_K})
            QTest::newRow(tensorTypeName(type).data()) << int(type);
    }
    void matchesLiteralFormulas() {
        QFETCH(int, type);
        const auto t = TensorType(type);
        const auto& info = tensorTypeInfo(t);
        std::mt19937 rng(42 + type);
        const int blocks = 37; // several rows' worth, odd count
        const auto bytes = randomBlocks(t, blocks, rng);
        std::vector<float> got(size_t(blocks) * info.blockSize);
        dequantizeRow(t, bytes.data(), got.data(), got.size());
        double largest = 0;
        for (int b = 0; b < blocks; ++b) {
            const auto expected = referenceBlock(t, bytes.data() + size_t(b) * info.blockBytes);
            for (size_t i = 0; i < expected.size(); ++i) {
                const float g = got[size_t(b) * info.blockSize + i];
                largest = std::max(largest, double(std::fabs(g - expected[i])));
                if (g != expected[i])
                    QFAIL(qPrintable(QString("block %1 weight %2: got %3, formula gives %4").arg(b).arg(i).arg(g).arg(expected[i])));
            }
        }
        qInfo("%s: %d blocks, largest difference %g", info.name.data(), blocks, largest);
    }

    void floatTypes() {
        const float values[] = {0.0f, -1.5f, 3.25f, 65504.0f};
        std::vector<uint8_t> f16(8), bf16(8);
        for (int i = 0; i < 4; ++i) {
            const uint16_t h = floatToHalf(values[i]), b = floatToBf16(values[i]);
            std::memcpy(&f16[2 * i], &h, 2);
            std::memcpy(&bf16[2 * i], &b, 2);
        }
        float out[4];
        dequantizeRow(TensorType::F16, f16.data(), out, 4);
        for (int i = 0; i < 4; ++i) QCOMPARE(out[i], values[i]);
        dequantizeRow(TensorType::BF16, bf16.data(), out, 4);
        QCOMPARE(out[1], -1.5f);
        QCOMPARE(out[2], 3.25f);
        dequantizeRow(TensorType::F32, reinterpret_cast<const uint8_t*>(values), out, 4);
        for (int i = 0; i < 4; ++i) QCOMPARE(out[i], values[i]);
    }
};

QTEST_GUILESS_MAIN(TestDequantize)
#include "tst_dequantize.moc"
