// Unit tests: how DATABASE_URL names its servers. Host lists as libpq reads them, the
// ?host=&port= keyword form, the RFC 3986 split of the authority, and the refusals where a URL
// could send its credentials to a server it does not name.

#include <retort/driver/postgres/detail/connect_parameters.hpp>
#include <retort/error.hpp>
#include <retort/session/backend.hpp>
#include <retort/session/url.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

using retort::parse_database_url;
using endpoint = retort::database_url::endpoint;
using hosts = std::vector<endpoint>;

std::string error_of(const std::string& url) {
    try {
        (void)retort::postgres::options_from(parse_database_url(url));
    } catch (const retort::configuration_error& e) {
        return e.what();
    }
    FAIL("\"" << url << "\" was accepted");
    return {};
}

}  // namespace

TEST_CASE("url hosts: a host list, each with its own port", "[unit][url]") {
    const auto u = parse_database_url("postgresql://u@h1:5432,h2:5433/db");
    CHECK(u.hosts == hosts{{"h1", 5432}, {"h2", 5433}});
    CHECK(u.database == "db");
    CHECK(u.redacted == "postgresql://u@h1:5432,h2:5433/db");

    CHECK(parse_database_url("postgresql://h1,h2,h3/db").hosts ==
          hosts{{"h1", 0}, {"h2", 0}, {"h3", 0}});
    CHECK(parse_database_url("postgresql://h1:6000,h2/db").hosts == hosts{{"h1", 6000}, {"h2", 0}});
    CHECK(parse_database_url("postgresql://u:pw@[::1]:5433,[2001:db8::2],h3:7/db").hosts ==
          hosts{{"::1", 5433}, {"2001:db8::2", 0}, {"h3", 7}});
    // A socket directory, percent-encoded.
    CHECK(parse_database_url("postgresql://%2Fvar%2Frun%2Fpostgresql/db").hosts ==
          hosts{{"/var/run/postgresql", 0}});

    // The driver gets every host, each with its port (the default where none was given).
    const auto o = retort::postgres::options_from(
        parse_database_url("postgresql://u@h1:5432,[::1]:5433,h3/db?target_session_attrs=any"));
    CHECK(o.hosts == std::vector<retort::driver::postgres::host_port>{
                         {"h1", 5432}, {"::1", 5433}, {"h3", 5432}});
    CHECK(retort::driver::postgres::detail::describe_hosts(o.hosts) ==
          "h1:5432,[::1]:5433,h3:5432");
}

TEST_CASE("url hosts: the ?host= and ?port= keyword form", "[unit][url]") {
    const auto one = parse_database_url("postgresql:///db?host=/var/run/postgresql");
    CHECK(one.hosts == hosts{{"/var/run/postgresql", 0}});
    CHECK(one.query.empty());

    const auto pair = parse_database_url("postgresql://u@/db?host=127.0.0.1&port=6543");
    CHECK(pair.hosts == hosts{{"127.0.0.1", 6543}});
    CHECK(pair.query.empty());

    CHECK(parse_database_url("postgresql:///db?host=h1,h2&port=5432,5433").hosts ==
          hosts{{"h1", 5432}, {"h2", 5433}});
    CHECK(parse_database_url("postgresql:///db?host=h1,h2&port=6000").hosts ==
          hosts{{"h1", 6000}, {"h2", 6000}});
    // A port for hosts given in the authority without one.
    CHECK(parse_database_url("postgresql://h1,h2/db?port=6000").hosts ==
          hosts{{"h1", 6000}, {"h2", 6000}});
    // An empty entry keeps the default port.
    CHECK(parse_database_url("postgresql:///db?host=h1,h2&port=,6001").hosts ==
          hosts{{"h1", 0}, {"h2", 6001}});

    // user, password and dbname as keywords become the URL's own fields.
    const auto k = parse_database_url(
        "postgresql:///?host=h&user=alice&password=s%26cret&dbname=app&sslmode=require");
    CHECK(k.user == "alice");
    CHECK(k.password == "s&cret");
    CHECK(k.database == "app");
    CHECK(k.query.size() == 1);
    CHECK(k.query.at("sslmode") == "require");
    CHECK(k.redacted == "postgresql:///?host=h&user=alice&password=***&dbname=app&sslmode=require");
}

TEST_CASE("url hosts: what cannot be read one way only is refused", "[unit][url]") {
    CHECK_THAT(error_of("postgresql://h1/db?host=h2"),
               Catch::Contains("names its host twice: in the authority and in ?host="));
    CHECK_THAT(error_of("postgresql://h1:5432/db?port=5433"), Catch::Contains("port twice"));
    CHECK_THAT(error_of("postgresql://u@h/db?user=v"), Catch::Contains("user twice"));
    CHECK_THAT(error_of("postgresql://u:pw@h/db?password=other"),
               Catch::Contains("password twice"));
    CHECK_THAT(error_of("postgresql://h/db?dbname=other"), Catch::Contains("database twice"));
    CHECK_THAT(error_of("postgresql:///db?host=h1,h2,h3&port=1,2"),
               Catch::Contains("names 3 hosts but 2 ports"));
    CHECK_THAT(error_of("postgresql:///db?host=h1,,h3"), Catch::Contains("empty host in ?host="));
    CHECK_THAT(error_of("postgresql:///db?port=5432"), Catch::Contains("names no host"));
    CHECK_THAT(error_of("postgresql://h1,,h2/db"), Catch::Contains("empty host in its host list"));
    CHECK_THAT(error_of("postgresql://h1,:5432/db"),
               Catch::Contains("empty host in its host list"));
    CHECK_THAT(error_of("postgresql://h1:x,h2/db"), Catch::Contains("invalid port ("));
    CHECK_THAT(error_of("postgresql://::1:5432/db"),
               Catch::Contains("more than one ':' (one port per host; an IPv6 address goes in "
                               "brackets"));
    CHECK_THAT(error_of("postgresql://h:5432:6543/db"), Catch::Contains("more than one ':'"));
    CHECK_THAT(error_of("postgresql:///db?host=h&port=99999"),
               Catch::Contains("invalid port '99999'"));
    CHECK_THAT(error_of("postgresql://h/db#frag"), Catch::Contains("has a '#'"));
}

TEST_CASE("url hosts: the authority ends at the first '/', '?' or '#' (RFC 3986)",
          "[unit][url][security]") {
    // Issue 7's example: the password holds a '?', and a query value holds an '@'. Read naively
    // this sends the password to host "home". It is ambiguous: refused, the password masked.
    const std::string message =
        error_of("postgresql://retort:se?cretPw@127.0.0.1:5432/db?application_name=me@home");
    CHECK_THAT(message, Catch::Contains("ambiguous"));
    CHECK(message.find("se?cretPw") == std::string::npos);
    CHECK(message.find("cretPw") == std::string::npos);

    // Encoded, it parses, and the host is the one the URL names.
    const auto ok = parse_database_url(
        "postgresql://retort:se%3FcretPw@127.0.0.1:5432/db?application_name=me%40home");
    CHECK(ok.password == "se?cretPw");
    CHECK(ok.hosts == hosts{{"127.0.0.1", 5432}});
    CHECK(ok.query.at("application_name") == "me@home");
    CHECK(ok.redacted == "postgresql://retort:***@127.0.0.1:5432/db?application_name=me%40home");

    // The last '@' inside the authority ends the user information.
    const auto two = parse_database_url("postgresql://u:p@ss@h/db");
    CHECK(two.password == "p@ss");
    CHECK(two.hosts == hosts{{"h", 0}});

    // An '@' after the authority could end a password holding a '/': "k@8" would otherwise be
    // read as user information and host "8", sending part of the password to a server named by
    // another part. Refused, with the whole would-be password masked.
    const std::string cut = error_of("postgresql://app:k@8/Zx7Qw@db.internal/appdb");
    CHECK_THAT(cut, Catch::Contains("ambiguous"));
    CHECK_THAT(cut, Catch::Contains("postgresql://app:***@db.internal/appdb"));
    CHECK(cut.find("Zx7Qw") == std::string::npos);
    CHECK_THAT(error_of("postgresql://h/db?application_name=me@home"),
               Catch::Contains("ambiguous"));
    // A password in the query that holds an '@' is masked whole, even where a port's ':' comes
    // first.
    const std::string query_at =
        error_of("postgresql://app@h:5432/appdb?password=Head7Q@Tail7Q&sslmode=require");
    CHECK(query_at.find("Head7Q") == std::string::npos);
    CHECK(query_at.find("Tail7Q") == std::string::npos);
}

TEST_CASE("url hosts: secret query values are masked after decoding, in any case",
          "[unit][url][security]") {
    const std::string pw = "Zq7SecretPassw0rdXk";
    for (const std::string key : {"password", "PASSWORD", "Password", "pass%77ord", "pa%73sword",
                                  "sslpassword", "SSLPassword", "api_token", "client_secret"}) {
        const std::string url = "postgresql://u@h/db?" + key + "=" + pw + "&sslmode=require";
        const std::string redacted = retort::redact_database_url(url);
        INFO("key: " << key << "\nredacted: " << redacted);
        CHECK(redacted.find(pw) == std::string::npos);
        CHECK_THAT(redacted, Catch::Contains(key + "=***"));
        CHECK_THAT(redacted, Catch::Contains("sslmode=require"));
        // Whatever goes wrong later (an unknown keyword, a bad option) quotes only this form.
        try {
            const auto parsed = parse_database_url(url);
            CHECK(parsed.redacted == redacted);
            const auto options = retort::postgres::options_from(parsed);
            const retort::driver::postgres::detail::connect_parameters parameters{options};
        } catch (const retort::configuration_error& e) {
            CHECK(std::string{e.what()}.find(pw) == std::string::npos);
        }
    }
    // Paths are not secrets.
    CHECK(retort::redact_database_url("postgresql://u@h/db?passfile=/home/u/.pgpass&sslkey=/k") ==
          "postgresql://u@h/db?passfile=/home/u/.pgpass&sslkey=/k");

    // An unencoded '&' in a password: the piece after it is never quoted.
    const std::string message = error_of("postgresql://u@h/db?password=Head&TailPart");
    CHECK_THAT(message, Catch::Contains("%26"));
    CHECK(message.find("TailPart") == std::string::npos);
    CHECK(message.find("Head") == std::string::npos);
    CHECK_THAT(error_of("postgresql://u@h/db?sslmode"),
               Catch::Contains("malformed query parameter 'sslmode'"));
}

TEST_CASE("url hosts: text that does not parse is masked generously", "[unit][url][security]") {
    using retort::redact_database_url;
    CHECK(redact_database_url("postgresql://u:a/b?c#d@h/db") == "postgresql://u:***@h/db");
    CHECK(redact_database_url("user:pw@localhost/db").find("pw") == std::string::npos);
    CHECK(redact_database_url("mysql://u:pw@h/db?password=x&y") ==
          "mysql://u:***@h/db?password=***&***");
    CHECK(redact_database_url("postgresql://u@h/db#Zsecret") == "postgresql://u@h/db#***");
    // A URL that parses is masked exactly.
    CHECK(redact_database_url("postgresql://u:pw@h:5432/db?application_name=a:b%40c") ==
          "postgresql://u:***@h:5432/db?application_name=a:b%40c");
}

TEST_CASE("driver options: the fields own their keywords", "[unit][url]") {
    retort::driver::postgres::options o;
    o.extra.emplace_back("host", "elsewhere");
    CHECK_THROWS_WITH(retort::driver::postgres::detail::connect_parameters{o},
                      Catch::Contains("\"host\" is set through its own field"));
    retort::driver::postgres::options none;
    none.hosts.clear();
    CHECK_THROWS_WITH(retort::driver::postgres::detail::connect_parameters{none},
                      Catch::Contains("name no host"));
    retort::driver::postgres::options comma;
    comma.hosts = {{"a,b", 5432}};
    CHECK_THROWS_AS(retort::driver::postgres::detail::connect_parameters{comma},
                    retort::configuration_error);
}

// Regressions from an attack on the parser: each of these sent credentials elsewhere, or showed
// a piece of a password.
TEST_CASE("url hosts: nothing redirects the connection past the hosts the URL names",
          "[unit][url][security]") {
    // hostaddr connects to an address, not to the host named; a service file names any server.
    CHECK_THAT(error_of("postgresql://u:pw@db.prod:5432/db?hostaddr=127.0.0.1"),
               Catch::Contains("has ?hostaddr=, which would connect to a server other than the "
                               "hosts it names"));
    CHECK_THAT(error_of("postgresql://u:pw@db.prod/db?service=s"),
               Catch::Contains("has ?service="));
    retort::driver::postgres::options o;
    o.extra.emplace_back("hostaddr", "127.0.0.1");
    CHECK_THROWS_WITH(retort::driver::postgres::detail::connect_parameters{o},
                      Catch::Contains("would connect to a server other than"));

    // A NUL byte cuts a C string: "127.0.0.1%00.db.prod" would connect to 127.0.0.1.
    for (const std::string url :
         {"postgresql://u:pw@127.0.0.1%00.db.prod:5432/db", "postgresql://u:pw%00tail@h/db",
          "postgresql://u%00x:pw@h/db", "postgresql://h/db%00x", "postgresql:///db?host=a%00b",
          "postgresql://h/db?application_name=a%00b", "sqlite:///a.db%00.txt"}) {
        INFO(url);
        CHECK_THROWS_WITH(parse_database_url(url), Catch::Contains("NUL byte (%00)"));
    }

    // Unknown keywords are refused with the URL, masked.
    const std::string unknown = error_of("postgresql://u:Zq7pw@h/db?k0=1");
    CHECK_THAT(unknown, Catch::Contains("\"k0\" is not a libpq connection option in "
                                        "DATABASE_URL postgresql://u:***@h/db?k0=1"));
}

TEST_CASE("url hosts: what follows a secret is shown only when it is a known parameter",
          "[unit][url][security]") {
    using retort::redact_database_url;
    // An item with an empty key after a secret is the rest of the secret.
    for (const std::string url : {"postgresql://u@good/db?password=hunter2&=zebra99",
                                  "postgresql://u@good/db?password=&=zebra99",
                                  "sqlite:///x.db?password=hunter2&=zebra99"}) {
        INFO(url);
        CHECK(redact_database_url(url).find("zebra99") == std::string::npos);
        const std::string message = [&] {
            try {
                (void)parse_database_url(url);
            } catch (const retort::configuration_error& e) {
                return std::string{e.what()};
            }
            return std::string{};
        }();
        CHECK_THAT(message, Catch::Contains("%26"));
        CHECK(message.find("zebra99") == std::string::npos);
    }
    // A raw '&' in a password followed by text holding '=': neither piece is shown, and the
    // URL is refused rather than read with half the password.
    const std::string cut = error_of("postgresql://u@good/db?password=hunter2&et_key=zebra99");
    CHECK_THAT(cut, Catch::Contains("not a known parameter"));
    CHECK(cut.find("zebra99") == std::string::npos);
    CHECK(cut.find("et_key") == std::string::npos);
    CHECK(cut.find("hunter2") == std::string::npos);
    // Known parameters after a secret are shown, and parse.
    const auto ok =
        parse_database_url("postgresql://u@good/db?password=hunter2&sslmode=require&x_app=1");
    CHECK(ok.password == "hunter2");
    CHECK(ok.redacted == "postgresql://u@good/db?password=***&sslmode=require&x_app=1");
}

TEST_CASE("url hosts: text without a scheme is never shown", "[unit][url][security]") {
    for (const std::string text : {"host=db.internal user=app password=hunter22 dbname=app",
                                   "u:hunter2://zebra99@good/db", "hunter2", ""}) {
        INFO(text);
        const std::string message = [&] {
            try {
                (void)parse_database_url(text);
            } catch (const retort::configuration_error& e) {
                return std::string{e.what()};
            }
            return std::string{};
        }();
        CHECK_THAT(message, Catch::Contains("has no scheme"));
        CHECK_THAT(message, Catch::Contains("key=value form is not accepted"));
        CHECK(message.find("hunter2") == std::string::npos);
        CHECK(message.find("zebra99") == std::string::npos);
        CHECK(retort::redact_database_url(text).find("hunter2") == std::string::npos);
    }
}

TEST_CASE("url hosts: a database name reads the same in the path and in ?dbname=", "[unit][url]") {
    CHECK(parse_database_url("postgresql://h/a%2Fb").database == "a/b");
    CHECK(parse_database_url("postgresql://h?dbname=a%2Fb").database == "a/b");
    CHECK_THAT(error_of("postgresql://h/a/b"), Catch::Contains("'/' in its database name"));
}
