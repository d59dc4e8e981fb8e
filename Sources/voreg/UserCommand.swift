import ArgumentParser
import Foundation
import Publisher
import RegistryStore

/// `voreg user add|list|remove|passwd`: publishing accounts in the local store.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage publishing accounts (passwords from a prompt or standard input, stored with bcrypt).",
        subcommands: [Add.self, List.self, Remove.self, Passwd.self])

    /// Reads a password: from the terminal without echo, or the first line of standard input.
    static func readPassword(_ prompt: String) throws -> String {
        if isatty(0) != 0 {
            guard let p = getpass(prompt) else { throw ValidationError("no password given") }
            let first = String(cString: p)
            guard let q = getpass("Again: "), String(cString: q) == first else {
                throw ValidationError("the passwords differ")
            }
            return first
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("no password on standard input")
        }
        return line
    }

    static func accounts(_ db: String) throws -> PublisherAccounts {
        PublisherAccounts(store: try RegistryStore(path: db))
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account that may publish under the given authorities.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The account name.") var name: String
        @Option(help: "An authority the account owns, ivo://AUTH (repeat for several).") var authority: [String] = []

        func run() throws {
            guard !authority.isEmpty else { throw ValidationError("give at least one --authority ivo://AUTH") }
            let password = try UserCommand.readPassword("Password for \(name): ")
            do {
                try UserCommand.accounts(store.database).add(name: name, password: password, authorities: authority)
            } catch let e as AccountError { throw ValidationError(e.description) }
            print("added \(name): \(authority.joined(separator: ", "))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts and their authorities.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "JSON output.") var json = false

        func run() throws {
            let all = try UserCommand.accounts(store.database).list()
            if json {
                print(String(decoding: try jsonEncoder().encode(all), as: UTF8.self))
                return
            }
            for a in all { print("\(a.name)\t\(a.authorities.joined(separator: " "))") }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an account (its tokens stop working).")
        @OptionGroup var store: StoreOptions
        @Argument var name: String
        func run() throws {
            do { try UserCommand.accounts(store.database).remove(name: name) } catch let e as AccountError {
                throw ValidationError(e.description)
            }
            print("removed \(name)")
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an account's password (its tokens are revoked).")
        @OptionGroup var store: StoreOptions
        @Argument var name: String
        func run() throws {
            let password = try UserCommand.readPassword("New password for \(name): ")
            do { try UserCommand.accounts(store.database).setPassword(name: name, password: password) } catch let e
                as AccountError
            { throw ValidationError(e.description) }
            print("password changed for \(name)")
        }
    }
}
