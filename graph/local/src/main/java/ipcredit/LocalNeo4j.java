package ipcredit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

import inet.ipaddr.IPAddressString;

/**
 * Starts a real Neo4j DBMS on a data folder with Bolt on 127.0.0.1 and keeps it up until SIGTERM.
 *
 * <p>Used because the machines have no Docker engine: Neo4j itself comes from Maven Central.
 * Arguments are {@code --key value} pairs: home, port, pagecache, tx-memory, tx-timeout-seconds.
 *
 * <p>Hardened so that a query cannot reach outside the graph even if one got past the API's plan
 * check: LOAD CSV file URLs are off and the import folder is an empty one, every remote address is
 * blocked for URL loading, and only the procedures ipcredit uses (plus the schema reads analysts
 * may call) are loaded.
 */
public final class LocalNeo4j {
    /** The procedures loaded; every other one (dbms.listConfig, dbms.setConfigValue, ...) does not exist. */
    static final List<String> PROCEDURES = List.of(
            "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.*", "db.ping",
            "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
            "db.index.fulltext.awaitEventuallyConsistentIndexRefresh", "db.awaitIndexes", "db.awaitIndex",
            "dbms.components");

    private LocalNeo4j() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        Map<String, String> opts = parse(args);
        Path home = Path.of(required(opts, "home")).toAbsolutePath();
        int port = Integer.parseInt(required(opts, "port"));
        Path importDir = Files.createDirectories(home.resolve("import-empty"));

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.pagecache_memory,
                        ByteUnit.parse(opts.getOrDefault("pagecache", "512m")))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size,
                        ByteUnit.parse(opts.getOrDefault("tx-memory", "1g")))
                .setConfig(GraphDatabaseSettings.allow_file_urls, false)
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, importDir)
                .setConfig(GraphDatabaseInternalSettings.cypher_ip_blocklist,
                        List.of(new IPAddressString("0.0.0.0/0"), new IPAddressString("::/0")))
                .setConfig(GraphDatabaseSettings.procedure_allowlist, PROCEDURES)
                .setConfig(GraphDatabaseSettings.transaction_timeout,
                        Duration.ofSeconds(Long.parseLong(opts.getOrDefault("tx-timeout-seconds", "0"))))
                // Bolt otherwise waits 5 s per connector for idle connections on shutdown.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("ipcredit: shutting down Neo4j");
            dbms.shutdown();
            stopped.countDown();
        }, "ipcredit-shutdown"));

        System.out.println("ipcredit: Neo4j ready, bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --key value pairs, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        return opts;
    }

    private static String required(Map<String, String> opts, String key) {
        String value = opts.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return value;
    }
}
