package dev.strata.engine.container;

import java.security.SecureRandom;
import java.util.List;

/**
 * Container names in Docker's style, {@code adjective_surname}: a mood and a scientist or engineer. Our own
 * lists; Docker's rule that nobody gets to be boring is kept.
 */
final class Names {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final List<String> ADJECTIVES = List.of(
            "admiring", "adoring", "agitated", "amazing", "angry", "awesome", "blissful", "bold", "brave", "busy", "calm",
            "charming", "clever", "cool", "compassionate", "competent", "confident", "cranky", "curious", "dazzling",
            "determined", "devoted", "diligent", "dreamy", "eager", "earnest", "ecstatic", "elastic", "elated", "elegant",
            "eloquent", "epic", "fervent", "festive", "flamboyant", "focused", "friendly", "frosty", "gallant", "gentle",
            "gifted", "goofy", "gracious", "happy", "hardy", "hopeful", "hungry", "inspiring", "intelligent", "jolly",
            "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest", "musing", "mystifying", "nervous",
            "nice", "nifty", "nimble", "nostalgic", "objective", "optimistic", "patient", "peaceful", "pensive", "playful",
            "practical", "priceless", "quirky", "quizzical", "relaxed", "reverent", "romantic", "serene", "sharp", "silly",
            "sleepy", "stoic", "strange", "suspicious", "sweet", "tender", "thirsty", "trusting", "upbeat", "vibrant",
            "vigilant", "vigorous", "wizardly", "wonderful", "youthful", "zealous", "zen");

    private static final List<String> SURNAMES = List.of(
            "agnesi", "alhazen", "archimedes", "babbage", "banach", "bardeen", "bell", "bernoulli", "bhabha", "bohr",
            "boole", "bose", "brahmagupta", "brattain", "cannon", "cantor", "carson", "cerf", "chandrasekhar", "chebyshev",
            "clarke", "curie", "darwin", "dijkstra", "dirac", "easley", "einstein", "elion", "engelbart", "euclid", "euler",
            "faraday", "fermat", "fermi", "feynman", "franklin", "galileo", "gauss", "germain", "goldberg", "goodall",
            "hamilton", "hawking", "heisenberg", "hertz", "hodgkin", "hopper", "hypatia", "jackson", "johnson", "joliot",
            "kalam", "kepler", "khayyam", "knuth", "kowalevski", "lamarr", "lamport", "leakey", "leavitt", "lovelace",
            "lumiere", "margulis", "maxwell", "mcclintock", "meitner", "mendel", "mirzakhani", "morse", "napier", "nash",
            "newton", "nightingale", "nobel", "noether", "noyce", "pascal", "pasteur", "payne", "perlman", "pike",
            "poincare", "ptolemy", "raman", "ramanujan", "ride", "ritchie", "rosalind", "sagan", "saha", "shannon",
            "shockley", "sinoussi", "snyder", "somerville", "stonebraker", "tesla", "thompson", "torvalds", "turing",
            "varahamihira", "volhard", "wiles", "williams", "wing", "wozniak", "wright", "yalow", "yonath", "zhukovsky");

    private Names() {
    }

    /** A random name; {@code attempt} > 0 appends a digit, as Docker does after a collision. */
    static String random(int attempt) {
        String name = ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_" + SURNAMES.get(RANDOM.nextInt(SURNAMES.size()));
        return attempt > 0 ? name + RANDOM.nextInt(10) : name;
    }
}
