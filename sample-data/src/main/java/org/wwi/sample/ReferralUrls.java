package org.wwi.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Where sessions come from: search engines, social media, the newsletter. */
final class ReferralUrls {
    private static final String[] QUERIES = {
        "peacock+decor", "peacock+vase", "novelty+mugs", "wide+world+importers", "funny+gifts",
        "usb+gadgets", "kids+toys+online", "garden+gnome", "home+decor+sale", "cafe+mug",
        "throw+blanket", "desk+stationery", "chocolate+gifts", "halloween+costumes", "wwi+coupon",
    };
    private static final String[] OTHERS = {
        "https://www.google.com/",
        "https://www.facebook.com/WideWorldImporters",
        "https://www.facebook.com/groups/homedecorlovers",
        "https://m.facebook.com/WideWorldImporters/posts",
        "https://www.instagram.com/wideworldimporters/",
        "https://www.pinterest.com/wideworldimporters/peacock-decor/",
        "https://twitter.com/WideWorldImp",
        "https://www.wideworldimporters.com/newsletter?utm_source=email",
        "https://duckduckgo.com/",
        "https://www.reddit.com/r/HomeDecorating/",
    };
    private static final List<Utf8Text> URLS = urls();

    private ReferralUrls() {
    }

    /** A referrer URL, search engines being the most common. */
    static Utf8Text pick(SplittableRandom random) {
        return URLS.get(random.nextInt(URLS.size()));
    }

    private static List<Utf8Text> urls() {
        List<Utf8Text> urls = new ArrayList<>();
        for (String query : QUERIES) {
            urls.add(Utf8Text.of("https://www.bing.com/search?q=" + query));
            urls.add(Utf8Text.of("https://www.google.com/search?q=" + query));
        }
        for (String other : OTHERS) {
            urls.add(Utf8Text.of(other));
        }
        return List.copyOf(urls);
    }
}
