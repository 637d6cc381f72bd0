package sparktop.uiguard;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;

/**
 * A Spark UI filter (spark.ui.filters) for the local lab's master UI: reading stays open to anyone
 * who can reach it, every request that changes something (killing an application or a driver,
 * decommissioning a worker: POSTs) needs the lab owner's token in the X-Sparktop-Token header. The
 * token is read once from the file the tokenFile parameter names (0600: only the owner reads it).
 * Spark 4's UIs run on Jakarta Servlet 5 (Jetty 11).
 */
public final class OwnerOnlyChanges implements Filter {
  public static final String HEADER = "X-Sparktop-Token";
  private byte[] token;

  @Override
  public void init(FilterConfig config) throws ServletException {
    String file = config.getInitParameter("tokenFile");
    if (file == null || file.isEmpty()) throw new ServletException("sparktop ui guard: no tokenFile parameter");
    try {
      token = new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8).trim().getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ServletException("sparktop ui guard: cannot read the token file " + file, e);
    }
    if (token.length == 0) throw new ServletException("sparktop ui guard: the token file " + file + " is empty");
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) req;
    String method = http.getMethod();
    if ("GET".equals(method) || "HEAD".equals(method)) {
      chain.doFilter(req, res);
      return;
    }
    String given = http.getHeader(HEADER);
    if (given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      chain.doFilter(req, res);
      return;
    }
    ((HttpServletResponse) res).sendError(HttpServletResponse.SC_FORBIDDEN, "changes through this UI need the lab owner's token (" + HEADER + ")");
  }

  @Override
  public void destroy() {}
}
