/*
 * JdbcProbe: connects through a real JDBC driver and says who it is and how
 * the connection is protected. For iamdb's tests (tests/jdbc/README.md).
 *
 * Standard input: the JDBC URL on the first line, then any NAME=VALUE
 * lines, passed to DriverManager.getConnection as Properties, bytes as
 * given (password=TOKEN). Never argv: both may carry a token.
 *
 * Standard output, one NAME=VALUE a line:
 *   driver    the driver's name and version
 *   product   the server's product name and version
 *   user      CURRENT_USER as the server sees it
 *   tls       the protocol version and cipher, or "off"
 * Exit status: 0 connected and queried; 1 the driver or the server refused
 * (the reason on standard error, with the URL, its query and every
 * password or token value given replaced by <redacted>); 2 no URL.
 */
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

public final class JdbcProbe {
	private static final List<String> secrets = new ArrayList<>();

	public static void main(String[] args) throws Exception {
		BufferedReader in = new BufferedReader(
		    new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String url = in.readLine();
		if (url == null || url.isEmpty()) {
			System.err.println("JdbcProbe: no JDBC URL on standard input");
			System.exit(2);
		}
		secret(url);
		if (url.indexOf('?') >= 0)
			secret(url.substring(url.indexOf('?') + 1));
		for (String param : url.substring(url.indexOf('?') + 1).split("&")) {
			int eq = param.indexOf('=');
			if (eq < 0 || !secretName(param.substring(0, eq)))
				continue;
			secret(param.substring(eq + 1));
			try {
				secret(URLDecoder.decode(param.substring(eq + 1),
				    StandardCharsets.UTF_8));
			} catch (IllegalArgumentException e) {
				/* not percent-encoded: the raw value is redacted */
			}
		}
		Properties props = new Properties();
		for (String line; (line = in.readLine()) != null; ) {
			int eq = line.indexOf('=');
			if (eq <= 0)
				continue;
			props.setProperty(line.substring(0, eq), line.substring(eq + 1));
			if (secretName(line.substring(0, eq)))
				secret(line.substring(eq + 1));
		}
		try (Connection c = DriverManager.getConnection(url, props)) {
			DatabaseMetaData md = c.getMetaData();
			System.out.println("driver=" + md.getDriverName() + " " +
			    md.getDriverVersion());
			System.out.println("product=" + md.getDatabaseProductName() +
			    " " + md.getDatabaseProductVersion());
			if (md.getDatabaseProductName().equals("PostgreSQL"))
				postgres(c);
			else
				mysql(c);
		} catch (SQLException e) {
			System.err.println("JdbcProbe: " + redact(String.valueOf(
			    e.getMessage())) + " (SQLState " + e.getSQLState() + ")");
			for (Throwable t = e.getCause(); t != null; t = t.getCause())
				System.err.println("JdbcProbe: caused by " +
				    t.getClass().getName() + ": " +
				    redact(String.valueOf(t.getMessage())));
			System.exit(1);
		}
	}

	private static boolean secretName(String name) {
		String n = name.toLowerCase();
		return n.contains("password") || n.contains("token");
	}

	private static void secret(String s) {
		if (s.length() >= 4)
			secrets.add(s);
	}

	/* Longest first, so that a value inside the URL goes with the URL. */
	private static String redact(String msg) {
		secrets.sort((a, b) -> b.length() - a.length());
		for (String s : secrets)
			msg = msg.replace(s, "<redacted>");
		return msg;
	}

	private static void postgres(Connection c) throws SQLException {
		try (Statement st = c.createStatement();
		    ResultSet rs = st.executeQuery("SELECT current_user, ssl, " +
		    "version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
			rs.next();
			System.out.println("user=" + rs.getString(1));
			System.out.println("tls=" + (rs.getBoolean(2) ?
			    rs.getString(3) + " " + rs.getString(4) : "off"));
		}
	}

	private static void mysql(Connection c) throws SQLException {
		try (Statement st = c.createStatement()) {
			try (ResultSet rs = st.executeQuery("SELECT CURRENT_USER()")) {
				rs.next();
				System.out.println("user=" + rs.getString(1));
			}
			String version = "", cipher = "";
			try (ResultSet rs = st.executeQuery("SHOW SESSION STATUS " +
			    "WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')")) {
				while (rs.next()) {
					if (rs.getString(1).equals("Ssl_version"))
						version = rs.getString(2);
					else
						cipher = rs.getString(2);
				}
			}
			System.out.println("tls=" + (cipher.isEmpty() ? "off" :
			    version + " " + cipher));
		}
	}
}
