import ECGridKit

/// A named way to reach one ECGrid service: where it is, where its credential comes from,
/// whether it may change anything, and how the console should look and load on it.
package struct Profile: Sendable, Equatable {
    /// Where a profile's API key comes from. Never the key itself: a config file is no place
    /// for a secret.
    package enum CredentialSource: Sendable, Equatable, CustomStringConvertible {
        /// The named environment variable.
        case environment(String)
        /// A file holding only the key, readable by its owner alone.
        case keyFile(String)

        package var description: String {
            switch self {
            case .environment(let name): "environment variable \(name)"
            case .keyFile(let path): "key file \(path)"
            }
        }
    }

    package var name: String
    /// The banner label (default: the name).
    package var label: String
    package var baseURL: String?
    /// A PEM file with one more CA to trust for this service (`ca_file`); verification stays on.
    package var caFile: String?
    package var credential: CredentialSource?
    /// Read-only by default: state-changing keys and commands are refused.
    package var readOnly: Bool
    /// A production profile gets a distinct banner, in words. Nil: decided by the host.
    package var production: Bool?
    /// Records a page when the console loads users (1 to 1000).
    package var pageSize: Int?
    /// Default filters for loading users.
    package var filters: UserListQuery
    /// The console opens in its accessible line mode (`--accessible`) on this profile.
    package var accessible = false

    package init(
        name: String, label: String? = nil, baseURL: String? = nil, credential: CredentialSource? = nil,
        readOnly: Bool = false, production: Bool? = nil, pageSize: Int? = nil, filters: UserListQuery = UserListQuery()
    ) {
        self.name = name
        self.label = label ?? name
        self.baseURL = baseURL
        self.credential = credential
        self.readOnly = readOnly
        self.production = production
        self.pageSize = pageSize
        self.filters = filters
    }

    /// True when the profile names any filter.
    package var hasFilters: Bool {
        filters.networkId != nil || filters.mailboxId != nil || filters.authLevel != nil || filters.status != nil
    }
}
