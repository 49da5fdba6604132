package org.wwi.sample;

import java.time.LocalDate;

/** A row of the users dataset. */
record User(int id, String firstName, String lastName, String gender, int age, String region,
        LocalDate signupDate) {
}
