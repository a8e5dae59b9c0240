import Foundation

/// The content files that ship in a folder of `Resources` (benchmark frameworks, programme rules): every JSON file,
/// in name order, read and validated by `read`; the problems of every broken file are reported with its file and path.
enum ShippedContent {
    static func load<T>(folder: String, _ read: (Data, String) -> Result<T, FrameworkProblems>) -> Result<[T], FrameworkProblems> {
        guard let url = Bundle.module.url(forResource: folder, withExtension: nil, subdirectory: "Resources") else {
            return .failure(FrameworkProblems([FrameworkError(file: "Resources/\(folder)", path: "", problem: "the folder is missing from the bundle")]))
        }
        let files = ((try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        var all: [T] = []
        var problems: [FrameworkError] = []
        for file in files {
            guard let data = try? Data(contentsOf: file) else {
                problems.append(FrameworkError(file: file.lastPathComponent, path: "", problem: "cannot be read")); continue
            }
            switch read(data, file.lastPathComponent) {
            case .success(let item): all.append(item)
            case .failure(let p): problems += p.errors
            }
        }
        return problems.isEmpty ? .success(all) : .failure(FrameworkProblems(problems))
    }
}
