package io.contentmachine.api.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Where a webhook may be sent (server-side request forgery guard). The URL must be https (http only when
 * webhooks.allow-http), without credentials or fragment; its host is resolved at registration and again before every
 * attempt, and every address it resolves to must be public unless webhooks.allow-private-addresses: loopback, private,
 * link-local (so the cloud metadata address 169.254.169.254), unique-local, carrier-grade NAT, multicast, documentation
 * and reserved ranges are refused. The attempt then connects to the checked address itself (no second lookup).
 */
@ApplicationScoped
public class AddressGuard {

    /** A URL refused, with a reason fit for the owner. */
    public static class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A checked destination: the URL and the address to connect to. */
    public record Target(URI uri, boolean https, String host, int port, String pathAndQuery, InetAddress address) {
    }

    private final WebhookConfig config;
    private final Vertx vertx;

    AddressGuard(WebhookConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    /** The URL's form: absolute http(s), a host, no user info or fragment. */
    public URI parse(String url) throws Refused {
        if (url == null || url.isBlank()) {
            throw new Refused("required");
        }
        if (url.length() > 2048) {
            throw new Refused("at most 2048 characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Refused("not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new Refused("must be an absolute https:// URL");
        }
        if (scheme.equals("http") && !config.allowHttp()) {
            throw new Refused("must use https (plain http is not accepted)");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new Refused("has no valid host");
        }
        if (uri.getPort() > 65535) {
            throw new Refused("has a port out of range");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("must not contain credentials");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("must not contain a fragment");
        }
        return uri;
    }

    /** Resolves the URL's host (on a worker thread: the lookup blocks) and checks every address it resolves to. */
    public Uni<Target> resolve(URI uri) {
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new UncheckedRefused(new Refused("host " + host + " does not resolve"));
            }
            if (!config.allowPrivateAddresses()) {
                for (InetAddress address : addresses) {
                    String kind = nonPublic(address);
                    if (kind != null) {
                        throw new UncheckedRefused(new Refused("host " + host + " resolves to " + address.getHostAddress() + ", a " + kind
                                + " address; webhooks are only sent to public addresses"));
                    }
                }
            }
            return new Target(uri, https, host, port, path, addresses[0]);
        }), false).onFailure(UncheckedRefused.class).transform(e -> e.getCause());
    }

    /** What kind of non-public address this is, or null for a public one. */
    static String nonPublic(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (address.isLinkLocalAddress()) {
            return address.getHostAddress().equals("169.254.169.254") ? "cloud metadata" : "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0 || first >= 240) {
                return "reserved";
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "carrier-grade NAT";
            }
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
                return "reserved";
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return "benchmarking";
            }
            if (first == 192 && second == 0 && (b[2] & 0xff) == 2 || first == 198 && second == 51 && (b[2] & 0xff) == 100
                    || first == 203 && second == 0 && (b[2] & 0xff) == 113) {
                return "documentation";
            }
            return null;
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "unique-local";
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return "documentation";
            }
            boolean ipv4Embedded = true;
            for (int i = 0; i < 10; i++) {
                ipv4Embedded &= b[i] == 0;
            }
            // IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) forms reach an IPv4 address: judge that one
            boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            if (ipv4Embedded || nat64) {
                try {
                    return nonPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return "reserved";
                }
            }
        }
        return null;
    }

    /** Carries a Refused through the blocking lambda. */
    private static final class UncheckedRefused extends RuntimeException {
        UncheckedRefused(Refused refused) {
            super(refused.getMessage(), refused, false, false);
        }
    }
}
