#include <retort/retort.hpp>

int main() {
    return 0;
}
