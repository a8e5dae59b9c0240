import Foundation

public extension Dictionary {
    /// Keys to values from pairs; a repeated key keeps its last value. `uniqueKeysWithValues` stops the process on a
    /// repeated key, so lists read from requests and queries are turned into dictionaries with this instead.
    init<S: Sequence>(lastOf pairs: S) where S.Element == (Key, Value) {
        self.init(pairs, uniquingKeysWith: { _, last in last })
    }
}
