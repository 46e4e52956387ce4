import ConsoleUI
import ECGridKit
import IncidentLog

/// The effects that read: each posts its answer as a message.
extension EffectRunner {
    func loadOperator() async {
        do {
            let me = try await client.me().value
            recorder.setAPIUser(me)
            post(.operatorLoaded(.success(me)))
        } catch {
            post(.operatorLoaded(.failure(Failure(error))))
        }
    }

    /// Re-reads each user, all at once; one message per user.
    func read(request: Int, _ ids: [Int]) async {
        await withTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask {
                    do {
                        let user = try await self.client.user(id: id).value
                        self.post(.targetRead(request: request, userId: id, .success(user)))
                    } catch {
                        self.post(.targetRead(request: request, userId: id, .failure(Failure(error))))
                    }
                }
            }
        }
    }

    func logIn(request: Int, login: String, password: Secret) async {
        do {
            guard let session else { throw ECGridError(.missingCredentials) }
            try await session.renew(login: login, password: password, using: client)
            let me = try await client.me().value
            recorder.setAPIUser(me)
            post(.loggedIn(request: request, .success(me)))
        } catch {
            post(.loggedIn(request: request, .failure(Failure(error))))
        }
    }

    func find(request: Int, _ query: String) async {
        do {
            let users: [User]
            if let id = Int(query), id > 0 {
                users = [try await client.user(id: id).value]
            } else {
                users = try await client.usersByName(login: query).value
            }
            post(.found(request: request, query: query, .success(users)))
        } catch let error as ECGridError where error.kind == .cancelled {
            return
        } catch {
            post(.found(request: request, query: query, .failure(Failure(error))))
        }
    }

    func loadHistory() {
        do {
            post(.historyLoaded(.success(try recorder.store.entries().map(HistoryItem.init))))
        } catch {
            post(.historyLoaded(.failure(Failure(summary: "history", explanation: "\(error)"))))
        }
    }
}
