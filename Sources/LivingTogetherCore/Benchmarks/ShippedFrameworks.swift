import Foundation

/// The frameworks that ship with the platform, as JSON files in `Resources/Benchmarks`.
public enum ShippedFrameworks {
    /// Every shipped framework, validated; the first problem of each broken file is reported with its file and path.
    public static func load() -> Result<[Framework], FrameworkProblems> {
        guard let folder = Bundle.module.url(forResource: "Benchmarks", withExtension: nil, subdirectory: "Resources") else {
            return .failure(FrameworkProblems([FrameworkError(file: "Resources/Benchmarks", path: "", problem: "the folder is missing from the bundle")]))
        }
        let files = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        var frameworks: [Framework] = []
        var problems: [FrameworkError] = []
        for url in files {
            guard let data = try? Data(contentsOf: url) else {
                problems.append(FrameworkError(file: url.lastPathComponent, path: "", problem: "cannot be read")); continue
            }
            switch FrameworkLoader.load(data, file: url.lastPathComponent) {
            case .success(let f): frameworks.append(f)
            case .failure(let p): problems += p.errors
            }
        }
        return problems.isEmpty ? .success(frameworks) : .failure(FrameworkProblems(problems))
    }
}
