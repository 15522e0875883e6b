import FTServicesCLI

/// The executable: everything happens in FTServicesCLI.
@main
struct Entry {
    static func main() async {
        await FTServicesMain.main()
    }
}
