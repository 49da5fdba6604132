package org.wwi.sample;

/**
 * What a customer-service chat is about, as a script: turns of the customer ({@code C:}) and
 * the agent ({@code A:}), each with alternative wordings. A conversation takes the same
 * alternative (modulo the count) in every turn, so answers match questions. Placeholders: {@code {product}},
 * {@code {order}}, {@code {agent}}, {@code {days}}, {@code {code}}.
 */
enum ChatTopic {
    PEACOCK_AND_REAL_PERSON(
            new String[] {"C:Hi, is this a bot? Can I talk to a real person? It's about peacock decor.",
                "C:Can I talk to a real person please? I have a question about your peacock decor."},
            new String[] {"A:You're chatting with {agent}, a real person. What would you like to know about our peacock decor?"},
            new String[] {"C:Is the Peacock Décor Vase still available?", "C:Do you have more peacock decor than the vase?"},
            new String[] {"A:Yes, the Peacock Décor Vase and the Peacock Décor Wall Clock are both in stock."}),
    PEACOCK_DECOR(
            new String[] {"C:Hi, do you still sell peacock decor? I can't find it on the website.",
                "C:Hello! I'm looking for peacock decor for my living room, what do you have?",
                "C:Is the peacock decor collection coming back in stock?"},
            new String[] {"A:Hi, this is {agent}. Our peacock decor range has the Peacock Décor Vase and the Peacock Décor Wall Clock.",
                "A:Hello, {agent} here. Our peacock decor range has a vase and a wall clock, both in stock.",
                "A:Hi, {agent} here. The peacock decor items are back in stock since last week."},
            new String[] {"C:Great, does the vase ship to Canada?", "C:How big is the vase exactly?",
                "C:Can I get it gift wrapped?"},
            new String[] {"A:It does, shipping takes {days} business days.", "A:It is 40 cm tall and 18 cm wide.",
                "A:Yes, gift wrapping is free for peacock decor this month."}),
    REAL_PERSON(
            new String[] {"C:Am I talking to a bot? Can I talk to a real person?",
                "C:I'd like to speak to a real person please.",
                "C:Is there a real person I can talk to about my order {order}?"},
            new String[] {"A:Yes, I'm a real person! My name is {agent}. How can I help?",
                "A:You're chatting with {agent}, a real person on our customer service team. What can I do for you?"},
            new String[] {"C:OK good. My order {order} shows delivered but I never got it.",
                "C:Thanks. I was charged twice for order {order}."},
            new String[] {"A:I'm sorry about that. I've opened a case and you'll hear from us within 24 hours.",
                "A:I can see the problem, I've refunded the duplicate charge. It takes {days} days to show."}),
    ORDER_STATUS(
            new String[] {"C:Hi, where is my order {order}?", "C:Can you check the status of order {order}?"},
            new String[] {"A:Hi, {agent} here. Order {order} left our warehouse yesterday and should arrive in {days} days.",
                "A:Hello! Order {order} is with the courier, expected delivery in {days} days."},
            new String[] {"C:Can I change the delivery address?", "C:Is there a tracking number?"},
            new String[] {"A:Not once it has shipped, but the courier lets you redirect it from the tracking page.",
                "A:Yes, I've sent the tracking link to your email."}),
    RETURN(
            new String[] {"C:I want to return the {product} I bought.",
                "C:The {product} is not what I expected, how do I return it?"},
            new String[] {"A:No problem, this is {agent}. You can return it within 30 days, I've emailed you a prepaid label.",
                "A:Sorry to hear that! I've started a return, the refund follows once we receive it."}),
    DAMAGED_ITEM(
            new String[] {"C:My {product} arrived broken.", "C:The {product} I received is damaged."},
            new String[] {"A:I'm so sorry! Could you send a photo? We'll ship a replacement right away.",
                "A:Oh no, sorry about that. {agent} here, can you upload a photo of the damage?"},
            new String[] {"C:Sure, sending it now.", "C:Done, I attached two photos."},
            new String[] {"A:Thanks, the replacement ships today and arrives in {days} days."}),
    DISCOUNT(
            new String[] {"C:My discount code {code} doesn't work.", "C:Is there a discount on the {product}?"},
            new String[] {"A:That code expired yesterday, but I've applied a 10% discount to your cart.",
                "A:The {product} is 15% off until Sunday."}),
    PRODUCT_QUESTION(
            new String[] {"C:Is the {product} dishwasher safe?", "C:Does the {product} come in other colors?",
                "C:What are the dimensions of the {product}?"},
            new String[] {"A:Hi, {agent} here. Yes it is, on the top rack.",
                "A:It comes in blue, red and green.", "A:The details are on the product page under Specifications."});

    /** Chance in 100 of each topic, in declaration order. */
    static final int[] WEIGHTS = {3, 12, 12, 20, 12, 10, 12, 19};

    private final String[][] turns;

    ChatTopic(String[]... turns) {
        this.turns = turns;
    }

    /** The turns; each holds alternatives starting with {@code C:} or {@code A:}. */
    String[][] turns() {
        return turns;
    }
}
