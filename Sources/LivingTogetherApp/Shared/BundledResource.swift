import Foundation
import Vapor

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

extension Response {
    /// A file to download: the text, its type and the name the browser saves it under.
    static func download(_ text: String, type: HTTPMediaType, filename: String) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return response
    }
}

extension HTTPMediaType {
    static let csvUTF8 = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
}

/// Content documents (frameworks, catalogues) as stored: sorted keys, so a document always reads the same.
enum ContentJSON {
    static func encode(_ value: some Encodable) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }
}

/// A content document sent through an upload form: the chosen file, else the pasted text.
struct UploadedDocument {
    var data: Data
    var name: String

    init(file: File?, pasted: String?) {
        if let file, file.data.readableBytes > 0 {
            data = Data(buffer: file.data); name = file.filename
        } else {
            data = Data((pasted ?? "").trimmingWhitespace().isEmpty ? [] : Array((pasted ?? "").utf8)); name = "pasted text"
        }
    }
}
