package io.gitcrq.cli.http;

import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context of a client that only calls {@code http://} URLs: it never makes a TLS connection. The JDK's
 * HttpClient sets up the default TLS context when it is built (the trust store read, the cipher suites checked),
 * which took a good part of a short command's time (bench P6) for services a local platform serves in plain HTTP.
 * Any attempt at TLS through it fails.
 */
final class PlainHttpOnly extends SSLContext {

    PlainHttpOnly() {
        super(new Spi(), new Provider("gitcrq-plain-http", "1", "no TLS: plain http:// only") {}, "TLS");
    }

    private static final class Spi extends SSLContextSpi {

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {}

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw noTls();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw noTls();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw noTls();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw noTls();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw noTls();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw noTls();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }

        private static UnsupportedOperationException noTls() {
            return new UnsupportedOperationException("this client calls plain http:// URLs only");
        }
    }
}
