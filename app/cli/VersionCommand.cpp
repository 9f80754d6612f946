#include "app/cli/CommandTable.h"

namespace lucent::cli {

int runVersion(CliIo& io) {
    io.out << "lucent " << LUCENT_VERSION << Qt::endl;
    return 0;
}

} // namespace lucent::cli
