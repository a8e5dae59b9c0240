import Foundation

/// Files shipped in the app's bundle (strings, stylesheet, OpenAPI document, fixtures), found the same
/// way from any working directory. A missing file is a broken build, named in the error.
enum BundledResource {
    static func url(_ name: String, _ ext: String, in folder: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: folder) else {
            throw BundleError(path: "\(folder)/\(name).\(ext)")
        }
        return url
    }

    static func text(_ name: String, _ ext: String, in folder: String) throws -> String {
        try String(contentsOf: url(name, ext, in: folder), encoding: .utf8)
    }

    struct BundleError: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) is missing from the app bundle" }
    }
}
