// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "gpt2-tui",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gpt2-tui", targets: ["gpt2-tui"]),
        .library(name: "GPT2", targets: ["GPT2"]),
        .library(name: "GPT2Engine", targets: ["GPT2Engine"]),
        .library(name: "Playground", targets: ["Playground"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // No pkgConfig: ncursesw.pc adds -D flags SwiftPM refuses with a warning on every build;
        // the shim defines what the wide API needs and the headers are on the default path.
        .systemLibrary(
            name: "CNCursesW",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .target(
            name: "CGPT2Kernels",
            cSettings: [.unsafeFlags(["-O3", "-Wall", "-Wextra"])]
        ),
        .target(
            name: "GPT2",
            dependencies: ["CBLAS", "CGPT2Kernels"]
        ),
        .target(
            name: "GPT2Engine",
            dependencies: ["GPT2"]
        ),
        .target(
            name: "Playground",
            dependencies: ["GPT2"]
        ),
        .target(
            name: "PlaygroundTerminal",
            dependencies: ["Playground", "CNCursesW"]
        ),
        .executableTarget(
            name: "gpt2-tui",
            dependencies: [
                "GPT2",
                "GPT2Engine",
                "Playground",
                "PlaygroundTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "GPT2Tests",
            dependencies: ["GPT2"]
        ),
        .testTarget(
            name: "GPT2EngineTests",
            dependencies: ["GPT2Engine", "GPT2"]
        ),
        .testTarget(
            name: "PlaygroundTests",
            dependencies: ["Playground", "GPT2", "GPT2Engine"],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "PlaygroundTerminalTests",
            dependencies: ["PlaygroundTerminal", "Playground"]
        ),
        .testTarget(
            name: "GPT2TUITests",
            dependencies: ["gpt2-tui", "GPT2"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
